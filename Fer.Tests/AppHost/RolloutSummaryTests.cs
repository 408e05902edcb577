using Fer.AppHost.Registry;
using Fer.Registry.Rollouts;

namespace Fer.Tests.AppHost;

public sealed class RolloutSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    private static readonly Rollout Canary25 = new("v0009@1", "v0009", "v0008", Rollout.DefaultSteps, Step: 2, RolloutGates.Default, Start, Start, null);

    [Fact]
    public void ACanary_SaysItsShareAndRequests_WithThousandsSeparated_AndNoAgreementWhereNoFacesWereCompared()
    {
        Assert.Equal("canary v0009 25 % · 1,240 req", RolloutSummary.Describe(Canary25, Evidence(requests: 1240, compared: 0, agreed: 0)));
    }

    [Fact]
    public void AShadow_SaysItsAgreement_AndNoEvidenceYetReadsAsNoRequests()
    {
        var shadow = Canary25 with { Step = 0 };
        Assert.Equal("shadow v0009 50 % · 310 req · agree 0.93", RolloutSummary.Describe(shadow, Evidence(requests: 310, compared: 300, agreed: 279)));
        Assert.Equal("shadow v0009 50 % · 0 req", RolloutSummary.Describe(shadow, null));
    }

    [Fact]
    public void ADecision_SaysWhatWhichStepWhenAndWhy()
    {
        var decision = new RolloutDecision("v0009@1", "v0009", RolloutDecisionKind.RolledBack, RolloutMode.Shadow, 0.5,
            "agreement 0.12 is below 0.75", null, null, Start);
        Assert.Equal("rolled back v0009 (shadow 50 %) at 2026-12-07 14:00:00Z: agreement 0.12 is below 0.75", RolloutSummary.DescribeDecision(decision));
    }

    private static VersionEvidence Evidence(long requests, long compared, long agreed) => new("v0009", "candidate", requests, 0,
        new long[VersionEvidence.LatencyEdges.Length + 1], requests, requests * 0.8, new long[7], compared, agreed,
        [.. Enumerable.Range(0, 7).Select(_ => new long[7])], 0);
}
