using Fer.Inference.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Fer.Tests.Inference;

/// <summary>The shadow admission rule on an explicit clock: 2 cores, a 3 % share (60 ms of model time a second, at most
/// 60 ms saved), idle below 20 % of production's two lanes, one shadowed request at a time.</summary>
public sealed class ShadowAdmissionTests
{
    private readonly FakeTimeProvider clock = new();
    private TimeSpan productionBusy;

    private ShadowAdmission Admission(int maxInFlight = 1) =>
        new(new ShadowAdmissionOptions { CpuShare = 0.03, IdleBelow = 0.2, MaxInFlight = maxInFlight }, cores: 2, () => productionBusy, productionLanes: 2, clock);

    /// <summary>Lets <paramref name="seconds"/> pass with production's two lanes busy for <paramref name="busyShare"/> of them.</summary>
    private void Pass(double seconds, double busyShare)
    {
        clock.Advance(TimeSpan.FromSeconds(seconds));
        productionBusy += TimeSpan.FromSeconds(seconds * 2 * busyShare);
    }

    [Fact]
    public void WhileProductionIsBusy_AdmitsOnlyWhatTheBudgetHolds_AndRefillsAtTheShareOfTheCores()
    {
        var admission = Admission();
        Pass(1, busyShare: 0.9);

        Assert.True(admission.TryAdmit(out var free));
        Assert.False(free);
        admission.Finished(TimeSpan.FromMilliseconds(50), free); // 60 - 50 = 10 ms left
        Assert.True(admission.TryAdmit(out free));
        admission.Finished(TimeSpan.FromMilliseconds(50), free); // 10 - 50 = -40 ms
        Assert.False(admission.TryAdmit(out _));

        Pass(0.5, busyShare: 0.9); // +30 ms: -10 ms
        Assert.False(admission.TryAdmit(out _));
        Pass(0.25, busyShare: 0.9); // +15 ms: 5 ms
        Assert.True(admission.TryAdmit(out free));
        Assert.False(free);
        Assert.Equal(0.9, admission.ProductionUtilisation, precision: 6);
    }

    [Fact]
    public void SavesAtMostOneSecondOfRefill()
    {
        var admission = Admission();
        Pass(60, busyShare: 0.9); // a quiet minute of shadow work saves 60 ms, not 3.6 s

        Assert.True(admission.TryAdmit(out var free));
        admission.Finished(TimeSpan.FromMilliseconds(61), free);
        Assert.False(admission.TryAdmit(out _));
    }

    [Fact]
    public void AdmitsNoMoreThanMaxInFlightAtOnce()
    {
        var admission = Admission(maxInFlight: 1);
        Pass(1, busyShare: 0);

        Assert.True(admission.TryAdmit(out var free));
        Assert.False(admission.TryAdmit(out _));
        admission.Finished(TimeSpan.FromMilliseconds(1), free);
        Assert.True(admission.TryAdmit(out _));
    }

    [Fact]
    public void WhileProductionIsIdle_AdmitsFreely_UntilALaterWindowFindsItBusy()
    {
        var admission = Admission();
        Pass(1, busyShare: 0.9);
        Assert.True(admission.TryAdmit(out var free));
        admission.Finished(TimeSpan.FromMilliseconds(500), free); // the budget is deep in debt
        Assert.False(admission.TryAdmit(out _));

        Pass(1, busyShare: 0.1); // 10 % busy: idle
        for (var i = 0; i < 3; i++)
        {
            Assert.True(admission.TryAdmit(out free));
            Assert.True(free);
            admission.Finished(TimeSpan.FromMilliseconds(500), free); // free runs leave the budget alone
        }

        Pass(0.5, busyShare: 0.9); // within the same window: still judged idle
        Assert.True(admission.TryAdmit(out free));
        Assert.True(free);
        admission.Finished(TimeSpan.FromMilliseconds(1), free);

        Pass(0.5, busyShare: 0.9); // a whole window at 90 %: busy again, and the budget (-320 ms) refuses
        Assert.False(admission.TryAdmit(out _));
        Assert.Equal(0.9, admission.ProductionUtilisation, precision: 6);
    }

    [Fact]
    public void IsBusyUntilAWholeWindowHasBeenMeasured()
    {
        var admission = Admission();
        Pass(0.5, busyShare: 0);

        Assert.True(admission.TryAdmit(out var free));
        Assert.False(free); // not yet known to be idle: taken from the budget
    }
}
