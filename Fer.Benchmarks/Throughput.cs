using System.Diagnostics;

namespace Fer.Benchmarks;

/// <summary>Times a batch function: one warm-up run, then whole runs until the time budget is spent (at least three).</summary>
public static class Throughput
{
    public static Measurement Measure(Action runBatch, int batch, double seconds, int warmup = 1)
    {
        for (var i = 0; i < warmup; i++) runBatch();
        var durations = new List<double>();
        var total = Stopwatch.StartNew();
        while (durations.Count < 3 || total.Elapsed.TotalSeconds < seconds)
        {
            var one = Stopwatch.StartNew();
            runBatch();
            durations.Add(one.Elapsed.TotalSeconds);
        }
        durations.Sort();
        var median = durations[durations.Count / 2];
        return new Measurement(batch / median, median * 1000, durations.Count);
    }
}
