namespace Fer.Inference.Rollouts;

/// <summary>
/// Whether a shadowed request may run on the candidate now, so that shadow work takes only the replica's spare time:
/// freely while production's batch lanes are mostly idle (<see cref="ShadowAdmissionOptions.IdleBelow"/>), otherwise
/// from a CPU-time budget (a token bucket refilled at <see cref="ShadowAdmissionOptions.CpuShare"/> of the cores' time
/// and debited by each shadow request's measured wall time); never more than <see cref="ShadowAdmissionOptions.MaxInFlight"/> at
/// once. A request refused here is dropped, and counted as such in the evidence.
/// </summary>
public sealed class ShadowAdmission
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Lock gate = new();
    private readonly ShadowAdmissionOptions settings;
    private readonly Func<TimeSpan> productionBusy;
    private readonly int productionLanes;
    private readonly TimeProvider time;
    private readonly double refillPerSecond;
    private double balanceSeconds;
    private long refilledAt;
    private long windowStart;
    private TimeSpan busyAtWindowStart;
    private double utilisation = 1; // unknown until a window has passed: busy, so the budget decides
    private int inFlight;

    /// <param name="cores">The cores the budget is a share of.</param>
    /// <param name="productionBusy">The total time production's lanes have spent running batches so far.</param>
    /// <param name="productionLanes">How many batches production may run at once.</param>
    public ShadowAdmission(ShadowAdmissionOptions settings, int cores, Func<TimeSpan> productionBusy, int productionLanes, TimeProvider time)
    {
        this.settings = settings;
        this.productionBusy = productionBusy;
        this.productionLanes = Math.Max(1, productionLanes);
        this.time = time;
        refillPerSecond = settings.CpuShare * cores;
        balanceSeconds = refillPerSecond * Window.TotalSeconds;
        refilledAt = windowStart = time.GetTimestamp();
        busyAtWindowStart = productionBusy();
    }

    /// <summary>Production's lanes' busy share over the last whole window (1 until one has passed).</summary>
    public double ProductionUtilisation
    {
        get
        {
            lock (gate) return utilisation;
        }
    }

    /// <summary>Admits one shadowed request, or refuses it; an admitted one must be ended with <see cref="Finished"/>.</summary>
    /// <param name="free">Admitted while production was idle: its run is not taken from the budget.</param>
    public bool TryAdmit(out bool free)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            Measure(now);
            free = utilisation < settings.IdleBelow;
            if (inFlight >= settings.MaxInFlight || !free && balanceSeconds <= 0) return false;
            inFlight++;
            return true;
        }
    }

    /// <summary>Ends an admitted request whose shadow work took <paramref name="elapsed"/>.</summary>
    public void Finished(TimeSpan elapsed, bool free)
    {
        lock (gate)
        {
            inFlight--;
            if (!free) balanceSeconds -= elapsed.TotalSeconds;
        }
    }

    private void Measure(long now)
    {
        var cap = refillPerSecond * Window.TotalSeconds;
        balanceSeconds = Math.Min(cap, balanceSeconds + refillPerSecond * time.GetElapsedTime(refilledAt, now).TotalSeconds);
        refilledAt = now;

        var elapsed = time.GetElapsedTime(windowStart, now);
        if (elapsed < Window) return;
        var busy = productionBusy();
        utilisation = (busy - busyAtWindowStart).TotalSeconds / (elapsed.TotalSeconds * productionLanes);
        windowStart = now;
        busyAtWindowStart = busy;
    }
}
