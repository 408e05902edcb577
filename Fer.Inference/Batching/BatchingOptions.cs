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

    /// <summary>Runs lane k's batches on the k-th core this process may use (Linux; counting round), each on a thread of
    /// its own. With as many lanes as cores and one intra-op thread, each core runs one model while HTTP takes what is
    /// left (measured on 2 cores, Cnn48 at concurrency 32, two lanes: 934-1,014 img/s pinned in three runs, 862-935 not
    /// in four). Off by default: a pinned lane cannot move away from a core that other work (a training run) keeps
    /// busy, and one lane's single thread makes a lone request slower (p50 3.0 ms against 1.6 ms with one lane of two
    /// threads).</summary>
    public bool PinLanes { get; set; }
}
