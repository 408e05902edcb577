namespace Fer.Benchmarks;

/// <summary>What one window of load brought back: its length, each answered request's latency and the timings the
/// service reported in it, and the requests that failed.</summary>
public sealed record LoadWindow(TimeSpan Elapsed, List<double> Latencies, List<(int Batch, double ModelMs, double ServerMs)> Timings, int Failures)
{
    public double ImagesPerSecond => Latencies.Count / Elapsed.TotalSeconds;
}
