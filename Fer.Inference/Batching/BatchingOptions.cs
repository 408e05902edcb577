using System.ComponentModel.DataAnnotations;

namespace Fer.Inference.Batching;

/// <summary>Dynamic batching (configuration section <c>Inference:Batching</c>), checked at start from the data
/// annotations below; each message names its key.</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Inference:Batching";
    private const string Key = SectionName + ":";

    /// <summary>The most images one model run takes. 16 by default: on a CPU an image costs ONNX Runtime about the same
    /// in batches of 8 to 32 (raw Cnn48 on 2 cores), and 16 was faster than 32 (measured on 2 cores, Cnn48 at
    /// concurrency 32, alternating windows: 1,800-1,834 img/s and p99 26-27 ms against 1,682-1,735 and 38-39 ms, two
    /// runs each). A GPU replica wants more.</summary>
    [Range(1, 4096, ErrorMessage = Key + nameof(MaxBatchSize) + " must be {1} to {2}")]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>How long the first request of a batch may wait for company (counted from when it was queued).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ErrorMessage = Key + nameof(MaxDelay) + " must be from {1} to {2}")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Requests that may wait in the queue; beyond it a request is refused with 503 at once.</summary>
    [Range(1, 1_000_000, ErrorMessage = Key + nameof(QueueCapacity) + " must be {1} to {2}")]
    public int QueueCapacity { get; set; } = 512;

    /// <summary>Batches that may run at once, each on a lane of its own (the lanes gather in turn, each runs its batches
    /// on a thread of its own). 0, the default: as many as the cores this process may use hold runs of
    /// <c>Inference:Onnx:IntraOpThreads</c> threads (<see cref="LanesFor"/>): with the default of one thread a run, one
    /// lane a core, so the runs share the cores without any run waiting on another's threads (measured on 2 cores,
    /// Cnn48 at concurrency 32, max batch 32: 80-84 % of raw ONNX Runtime with two lanes of one thread in six runs, 76-82 %
    /// with one lane of two threads in five; the two-lane figures about a point high, see Fer.Benchmarks' results).</summary>
    [Range(0, 256, ErrorMessage = Key + nameof(ConcurrentBatches) + " must be 0 (one lane a core) to {2}")]
    public int ConcurrentBatches { get; set; }

    /// <summary>Runs lane k's batches on the k-th core this process may use (Linux; counting round), each on a thread of
    /// its own. With as many lanes as cores and one intra-op thread, each core runs one model while HTTP takes what is
    /// left (measured on 2 cores, Cnn48 at concurrency 32, two lanes: 934-1,014 img/s pinned in three runs, 862-935 not
    /// in four). Off by default: a pinned lane cannot move away from a core that other work (a training run) keeps
    /// busy, and a lone request waits for its core (p50 3.0 ms against 1.6 ms with one lane of two threads, 2026-12-02).</summary>
    public bool PinLanes { get; set; }

    /// <summary>The lanes to run: <see cref="ConcurrentBatches"/> when set, else one for every
    /// <paramref name="intraOpThreads"/> of the <paramref name="cores"/> (0 threads, ONNX Runtime's own choice, takes
    /// them all: one lane).</summary>
    public int LanesFor(int intraOpThreads, int cores) =>
        ConcurrentBatches > 0 ? ConcurrentBatches : Math.Max(1, cores / (intraOpThreads > 0 ? intraOpThreads : cores));
}
