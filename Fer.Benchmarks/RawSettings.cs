namespace Fer.Benchmarks;

/// <summary>How the raw ONNX Runtime reference runs: intra-op threads (0 = ORT's default), whether idle threads spin,
/// how many batches run side by side (a thread each), and whether those threads are pinned to cores.</summary>
public sealed record RawSettings(int IntraOpThreads, bool Spinning, int ConcurrentBatches, bool PinLanes)
{
    /// <summary>ONNX Runtime's own defaults: one run at a time on one thread per core, idle threads spinning.</summary>
    public static RawSettings OnnxRuntimeDefaults { get; } = new(0, true, 1, false);

    public override string ToString() =>
        $"intra-op threads {IntraOpThreads}, spinning {(Spinning ? "on" : "off")}, {ConcurrentBatches} at once{(PinLanes ? ", pinned" : "")}";
}
