using System.Diagnostics;

namespace Fer.Inference.Batching;

/// <summary>One request's images waiting for a model run. A request's images always run in the same batch, so they are
/// all computed by the same model version.</summary>
internal sealed class BatchRequest(float[][] images, long enqueuedAt, ActivityContext trace, CancellationToken cancellationToken)
{
    public float[][] Images { get; } = images;

    public int Count => Images.Length;

    /// <summary>TimeProvider timestamp of when the request joined the queue.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>The request's trace, linked from the batch span.</summary>
    public ActivityContext Trace { get; } = trace;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Completed off the model loop (continuations never run on it).</summary>
    public TaskCompletionSource<BatchResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
