using System.Text.Json;
using Fer.Registry.Model;
using Fer.Registry.Rollouts;
using Fer.Trainer.Rollouts;

namespace Fer.Tests.Rollouts;

/// <summary>The gates on evidence made by hand, each figure chosen to sit just either side of its gate.</summary>
public sealed class RolloutGatekeeperTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly Rollout Shadow = new("v0002-aaaaaa@1", "v0002-aaaaaa", "v0001-aaaaaa",
        [new RolloutStep(RolloutMode.Shadow, 0.5, 100, TimeSpan.FromMinutes(5)), new RolloutStep(RolloutMode.Canary, 0.25, 100, TimeSpan.FromMinutes(5))],
        0, RolloutGates.Default, Start, Start, null);

    private static readonly Rollout LastCanary = Shadow with { Step = 1 };

    [Fact]
    public void Holds_WhileTheCandidateHasSeenTooFewRequests()
    {
        var decision = Decide(Shadow, Candidate(requests: 99, agreed: 90, compared: 99), Production());

        Assert.Equal(GateVerdict.Hold, decision.Verdict);
        Assert.Equal("99 of 100 requests (shadow 50 %)", decision.Reason);
    }

    [Fact]
    public void Advances_OnEnoughRequests_AndPromotesAtTheLastStep()
    {
        Assert.Equal(GateVerdict.Advance, Decide(Shadow, Candidate(requests: 100, agreed: 76, compared: 100), Production()).Verdict);
        Assert.Equal(GateVerdict.Promote, Decide(LastCanary, Candidate(requests: 100), Production()).Verdict);
    }

    [Fact]
    public void RollsBack_WhenAgreementInShadowIsBelowTheFloor()
    {
        // 5 of 30: the whole 99 % interval (up to 0.40) is below 0.75, so it fails before the step's 100 requests.
        var early = Decide(Shadow, Candidate(requests: 30, agreed: 5, compared: 30), Production());
        Assert.Equal(GateVerdict.RollBack, early.Verdict);
        Assert.Equal("agreement with production 0.167 over 30 faces is below 0.75", early.Reason);

        // 37 of 50 (0.74) may still be a healthy candidate's bad luck (its interval reaches 0.86): it waits, and at 19 faces
        // any agreement waits.
        Assert.Equal(GateVerdict.Hold, Decide(Shadow, Candidate(requests: 50, agreed: 37, compared: 50), Production()).Verdict);
        Assert.Equal(GateVerdict.Hold, Decide(Shadow, Candidate(requests: 19, agreed: 0, compared: 19), Production()).Verdict);

        // At the step's end the share itself decides: 74 of 100 is below the floor.
        var atEnd = Decide(Shadow, Candidate(requests: 100, agreed: 74, compared: 100), Production());
        Assert.Equal(GateVerdict.RollBack, atEnd.Verdict);
        Assert.Equal("agreement with production 0.74 over 100 faces is below 0.75 at the step's end", atEnd.Reason);
    }

    [Fact]
    public void WilsonInterval_MatchesHandComputedBounds()
    {
        // 0 of 20: upper = z^2/n / (1 + z^2/n) = 0.33178 / 1.33178; 20 of 20: lower = 1 / 1.33178.
        Assert.Equal(0.24913, WilsonInterval.Upper(0, 20), 4);
        Assert.Equal(0.75087, WilsonInterval.Lower(20, 20), 4);
        Assert.Equal(0, WilsonInterval.Lower(0, 20), 12);
        Assert.True(WilsonInterval.Lower(37, 50) < 0.74 && WilsonInterval.Upper(37, 50) > 0.85);
    }

    [Fact]
    public void RollsBack_WhenTheErrorRateExceedsProductionsByTheMargin()
    {
        // At the step's end: production 1 of 100 failed (0.01); the candidate 4 of 100 (0.04 > 0.01 + 0.02); 3 of 100 is within.
        Assert.Equal(GateVerdict.RollBack, Decide(LastCanary, Candidate(requests: 100, errors: 4), Production(errors: 1)).Verdict);
        Assert.Equal(GateVerdict.Promote, Decide(LastCanary, Candidate(requests: 100, errors: 3), Production(errors: 1)).Verdict);

        // Before it: 2 of 40 could be chance (hold); 20 of 25 cannot (its interval starts at 0.54).
        Assert.Equal(GateVerdict.Hold, Decide(LastCanary, Candidate(requests: 40, errors: 2), Production(errors: 1)).Verdict);
        Assert.Equal(GateVerdict.RollBack, Decide(LastCanary, Candidate(requests: 25, errors: 20), Production(errors: 1)).Verdict);
    }

    [Fact]
    public void RollsBack_WhenP95LatencyIsAboveTheMultipleOfProductions()
    {
        // Buckets: 0.25 ms x 1.25^i. Production's p95 in bucket 10 (2.33 ms); the candidate's in bucket 17 (11.1 ms):
        // more than twice, and more than 5 ms slower. Bucket 13 (4.55 ms) is twice as slow but only 2.2 ms: noise.
        var decision = Decide(LastCanary, Candidate(requests: 100, latencyBucket: 17), Production(latencyBucket: 10));

        Assert.Equal(GateVerdict.RollBack, decision.Verdict);
        Assert.Equal("p95 model run time 11.1 ms is more than 2 x production's 2.3 ms", decision.Reason);
        Assert.Equal(GateVerdict.Hold, Decide(LastCanary, Candidate(requests: 99, latencyBucket: 13), Production(latencyBucket: 10)).Verdict);
        Assert.Equal(GateVerdict.Hold, Decide(LastCanary, Candidate(requests: 99, latencyBucket: 17), Production(latencyBucket: 10)).Verdict); // too few samples yet
    }

    [Fact]
    public void InShadow_TheLatencyGate_HoldsTheCandidate_AgainstProductionsRunsOnTheSameRequests()
    {
        // The candidate's shadow runs are single requests (bucket 17, 11.1 ms); production's own are batches under load
        // (bucket 20, 21.7 ms), which would let it through; run alike on the same requests, production takes 2.3 ms.
        var slow = Candidate(requests: 100, latencyBucket: 17) with { BaselineLatencyBuckets = Buckets(10, 100) };
        var decision = Decide(Shadow, slow, Production(latencyBucket: 20));
        Assert.Equal(GateVerdict.RollBack, decision.Verdict);
        Assert.Equal("p95 model run time 11.1 ms is more than 2 x production's 2.3 ms on the same requests", decision.Reason);

        // Alike, a candidate as fast as production holds, however fast production's own requests were.
        var twin = Candidate(requests: 100, agreed: 100, compared: 100, latencyBucket: 17) with { BaselineLatencyBuckets = Buckets(17, 100) };
        Assert.Equal(GateVerdict.Advance, Decide(Shadow, twin, Production(latencyBucket: 10)).Verdict);
        // The reference needs its samples too.
        var early = Candidate(requests: 100, agreed: 100, compared: 100, latencyBucket: 17) with { BaselineLatencyBuckets = Buckets(10, 99) };
        Assert.Equal(GateVerdict.Advance, Decide(Shadow, early, Production(latencyBucket: 10)).Verdict);
        // Replicas that report no such runs: production's own requests, as in canary.
        Assert.Equal(GateVerdict.RollBack, Decide(Shadow, Candidate(requests: 100, latencyBucket: 17), Production(latencyBucket: 10)).Verdict);
    }

    [Fact]
    public void TheSameRequestsRuns_AddUpOverReplicas_AndSurviveTheirJson()
    {
        var a = Candidate(requests: 60, latencyBucket: 17) with { BaselineLatencyBuckets = Buckets(10, 60) };
        var b = Candidate(requests: 40, latencyBucket: 17) with { BaselineLatencyBuckets = Buckets(11, 40) };
        var old = Candidate(requests: 5, latencyBucket: 17); // a replica that reports none

        var sum = a.Plus(b).Plus(old);
        var json = JsonSerializer.Serialize([sum], RegistryJsonContext.Default.ListVersionEvidence);
        var read = Assert.Single(JsonSerializer.Deserialize(json, RegistryJsonContext.Default.ListVersionEvidence)!);

        Assert.Equal((60L, 40L, 100L), (read.BaselineLatencyBuckets![10], read.BaselineLatencyBuckets[11], read.BaselineLatencyBuckets.Sum()));
        Assert.Equal(VersionEvidence.LatencyEdges[11], read.BaselineLatency(0.95));
        Assert.Null(old.BaselineLatency(0.95));
    }

    [Fact]
    public void RollsBack_OnAWorseOfflineMacroF1_AndOnAStepThatRanOutOfTime()
    {
        var worse = RolloutGatekeeper.Decide(Shadow, Evidence(Candidate(requests: 0), Production()), 0.57, 0.60, Start);
        Assert.Equal(("offline validation macro-F1 0.57 is below production's 0.6 by more than 0.02"), worse.Reason);

        var late = RolloutGatekeeper.Decide(Shadow, Evidence(Candidate(requests: 10), Production()), 0.60, 0.60, Start.AddMinutes(5).AddSeconds(1));
        Assert.Equal(GateVerdict.RollBack, late.Verdict);
        Assert.Contains("10 of the 100 requests it needs: not enough evidence", late.Reason);
    }

    [Fact]
    public void RollsBack_AtOnce_WhenAReplicaRefusedTheCandidate_EvenBesideAnotherThatServesIt()
    {
        var refused = VersionEvidence.Refusal("v0002-aaaaaa", "candidate", "replica b:2:cd: model v0002-aaaaaa failed its warm-up run");
        var served = Candidate(requests: 5);

        var decision = Decide(Shadow, served.Plus(refused), Production());

        Assert.Equal(GateVerdict.RollBack, decision.Verdict);
        Assert.Equal("a replica refused to load it (replica b:2:cd: model v0002-aaaaaa failed its warm-up run)", decision.Reason);
        Assert.Equal(5, served.Plus(refused).Requests); // the refusal adds nothing to the counts
    }

    private static GateDecision Decide(Rollout rollout, VersionEvidence candidate, VersionEvidence production) =>
        RolloutGatekeeper.Decide(rollout, Evidence(candidate, production), 0.6, 0.6, Start.AddMinutes(1));

    private static Dictionary<string, VersionEvidence> Evidence(VersionEvidence candidate, VersionEvidence production) =>
        new() { [candidate.Version] = candidate, [production.Version] = production };

    private static VersionEvidence Candidate(long requests, long errors = 0, long agreed = 0, long compared = 0, int latencyBucket = 10) =>
        Make("v0002-aaaaaa", requests, errors, agreed, compared, latencyBucket);

    private static VersionEvidence Production(long errors = 0, int latencyBucket = 10) => Make("v0001-aaaaaa", 100, errors, 0, 0, latencyBucket);

    private static VersionEvidence Make(string version, long requests, long errors, long agreed, long compared, int latencyBucket) =>
        new(version, "test", requests, errors, Buckets(latencyBucket, requests - errors), requests, requests * 0.5, new long[7], compared, agreed,
            [.. Enumerable.Range(0, 7).Select(_ => new long[7])], 0);

    private static long[] Buckets(int bucket, long count)
    {
        var buckets = new long[VersionEvidence.LatencyEdges.Length + 1];
        buckets[bucket] = count;
        return buckets;
    }
}
