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
}
