using System.Diagnostics;

namespace Fer.Benchmarks;

/// <summary>Times a batch function: one warm-up run, then whole runs until the time budget is spent (at least three).</summary>
public static class Throughput
{
    public static Measurement Measure(Action runBatch, int batch, double seconds, int warmup = 1)
    {
        for (var i = 0; i < warmup; i++) runBatch();
        var durations = TimeRuns(runBatch, Stopwatch.StartNew(), seconds);
        durations.Sort();
        var median = durations[durations.Count / 2];
        return new Measurement(batch / median, median * 1000, durations.Count);
    }

    /// <summary>Like <see cref="Measure"/> with <paramref name="lanes"/> threads running batches side by side: images per
    /// second from all batches finished in the window, the batch time as the median over all lanes. The window opens
    /// when every lane has run its warm-up batch (counting from before them put a warm-up batch, 15-30 ms, into the time of
    /// every window without its images: about 1 % of a 2-second window). <paramref name="startLane"/> runs first on each lane's
    /// thread (to pin it to a core).</summary>
    public static Measurement MeasureConcurrent(Action runBatch, int batch, int lanes, double seconds, Action<int>? startLane = null)
    {
        if (lanes == 1 && startLane is null) return Measure(runBatch, batch, seconds);
        var durations = new List<double>[lanes];
        var total = new Stopwatch();
        using var warmedUp = new Barrier(lanes, _ => total.Start());
        var threads = Enumerable.Range(0, lanes).Select(lane => new Thread(() =>
        {
            startLane?.Invoke(lane);
            runBatch();
            warmedUp.SignalAndWait();
            durations[lane] = TimeRuns(runBatch, total, seconds);
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        var elapsed = total.Elapsed.TotalSeconds;
        var all = durations.SelectMany(d => d).Order().ToList();
        return new Measurement(all.Count * batch / elapsed, all[all.Count / 2] * 1000, all.Count);
    }

    /// <summary>Seconds of each run, run after run until <paramref name="clock"/> passes <paramref name="seconds"/> (at
    /// least three runs).</summary>
    private static List<double> TimeRuns(Action runBatch, Stopwatch clock, double seconds)
    {
        var durations = new List<double>();
        while (durations.Count < 3 || clock.Elapsed.TotalSeconds < seconds)
        {
            var one = Stopwatch.StartNew();
            runBatch();
            durations.Add(one.Elapsed.TotalSeconds);
        }
        return durations;
    }
}
