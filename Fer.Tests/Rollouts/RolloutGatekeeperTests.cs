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
        // 0.74 < 0.75 over 50 compared faces; at 19 faces the gate would still wait.
        var decision = Decide(Shadow, Candidate(requests: 50, agreed: 37, compared: 50), Production());

        Assert.Equal(GateVerdict.RollBack, decision.Verdict);
        Assert.Equal("agreement with production 0.74 over 50 faces is below 0.75", decision.Reason);
        Assert.Equal(GateVerdict.Hold, Decide(Shadow, Candidate(requests: 19, agreed: 0, compared: 19), Production()).Verdict);
    }

    [Fact]
    public void RollsBack_WhenTheErrorRateExceedsProductionsByTheMargin()
    {
        // production 1 of 100 failed (0.01); the candidate 4 of 100 (0.04 > 0.01 + 0.02); 3 of 100 (0.03) is within.
        Assert.Equal(GateVerdict.RollBack, Decide(LastCanary, Candidate(requests: 100, errors: 4), Production(errors: 1)).Verdict);
        Assert.Equal(GateVerdict.Promote, Decide(LastCanary, Candidate(requests: 100, errors: 3), Production(errors: 1)).Verdict);
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

    private static VersionEvidence Make(string version, long requests, long errors, long agreed, long compared, int latencyBucket)
    {
        var buckets = new long[VersionEvidence.LatencyEdges.Length + 1];
        buckets[latencyBucket] = requests - errors;
        return new VersionEvidence(version, "test", requests, errors, buckets, requests, requests * 0.5, new long[7], compared, agreed,
            [.. Enumerable.Range(0, 7).Select(_ => new long[7])], 0);
    }
}
