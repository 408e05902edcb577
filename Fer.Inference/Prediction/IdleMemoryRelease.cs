namespace Fer.Inference.Prediction;

/// <summary>
/// An idle replica never collects, so whatever a burst left on the heaps (request bodies, network blocks beyond what
/// <see cref="BoundedBlockPool"/> keeps, codec buffers) would stay resident. Once a second this looks at the replica:
/// when no request body has been held for <see cref="Quiet"/> and either <see cref="AfterBodyBytes"/> of bodies came
/// through or resident memory grew by <see cref="AfterGrowth"/> since the last release, it hands memory back
/// (<see cref="MemoryRelease.AfterBurst"/>). Under steady load bodies keep arriving, so it never runs there.
/// </summary>
public sealed partial class IdleMemoryRelease(MemoryBudget budget, TimeProvider time, ILogger<IdleMemoryRelease> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    public const long AfterBodyBytes = 32 * 1024 * 1024;

    public const double AfterGrowth = 0.02;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settled = Environment.WorkingSet;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var grown = Environment.WorkingSet > settled * (1 + AfterGrowth);
                if (!budget.IdleFor(Quiet) || (budget.BodyBytesSinceRelease < AfterBodyBytes && !grown)) continue;
                var bodies = budget.TakeBodyBytesSinceRelease();
                var before = Environment.WorkingSet;
                MemoryRelease.AfterBurst();
                settled = Environment.WorkingSet;
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                LogReleased(logger, bodies / 1e6, before / 1e6, settled / 1e6, info.HeapSizeBytes / 1e6, info.TotalCommittedBytes / 1e6);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle after {BodyMegabytes:F0} MB of request bodies since the last release; memory handed back: resident {BeforeMegabytes:F0} -> {AfterMegabytes:F0} MB (managed heap {HeapMegabytes:F0} MB, {CommittedMegabytes:F0} MB committed)")]
    private static partial void LogReleased(ILogger logger, double bodyMegabytes, double beforeMegabytes, double afterMegabytes, double heapMegabytes, double committedMegabytes);
}
