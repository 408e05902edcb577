namespace Fer.Inference.Batching;

/// <summary>Dynamic batching (configuration section <c>Inference:Batching</c>).</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Inference:Batching";

    /// <summary>The most images one model run takes.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>How long the first request of a batch may wait for company (counted from when it was queued).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Requests that may wait in the queue; beyond it a request is refused with 503 at once.</summary>
    public int QueueCapacity { get; set; } = 512;

    /// <summary>Batches that may run at once, each gathered by a lane of its own. Above 1, pair it with one intra-op
    /// thread per run (<c>Inference:Onnx:IntraOpThreads</c>), so that the runs share the cores without waiting on each
    /// other's threads.</summary>
    public int ConcurrentBatches { get; set; } = 1;
}
