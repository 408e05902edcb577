namespace Fer.Inference.Batching;

/// <summary>Dynamic batching (configuration section <c>Inference:Batching</c>).</summary>
public sealed class BatchingOptions
{
    public const string Section = "Inference:Batching";

    /// <summary>The most images one model run takes.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>How long the first request of a batch may wait for company (counted from when it was queued).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Requests that may wait in the queue; beyond it a request is refused with 503 at once.</summary>
    public int QueueCapacity { get; set; } = 512;

    internal static IEnumerable<string> Validate(BatchingOptions options)
    {
        if (options.MaxBatchSize is < 1 or > 4096) yield return $"{Section}:MaxBatchSize must be 1 to 4096, not {options.MaxBatchSize}";
        if (options.MaxDelay < TimeSpan.Zero || options.MaxDelay > TimeSpan.FromSeconds(1))
            yield return $"{Section}:MaxDelay must be between 00:00:00 and 00:00:01, not {options.MaxDelay}";
        if (options.QueueCapacity is < 1 or > 1_000_000) yield return $"{Section}:QueueCapacity must be 1 to 1000000, not {options.QueueCapacity}";
    }
}
