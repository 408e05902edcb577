using System.Globalization;
using Fer.Registry.Rollouts;

namespace Fer.AppHost.Registry;

/// <summary>The registry resource's state text while a version is in rollout: "canary v0009 25 % · 1,240 req · agree 0.93"
/// (the candidate's requests in the current step, added up over the replicas; agreement where the step compared faces).</summary>
public static class RolloutSummary
{
    public static string Describe(Rollout rollout, VersionEvidence? candidate)
    {
        var mode = rollout.Mode == RolloutMode.Shadow ? "shadow" : "canary";
        var share = (rollout.Share * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var text = $"{mode} {rollout.Candidate} {share} % · {(candidate?.Requests ?? 0).ToString("N0", CultureInfo.InvariantCulture)} req";
        return candidate?.Agreement is { } agreement
            ? $"{text} · agree {agreement.ToString("0.00", CultureInfo.InvariantCulture)}"
            : text;
    }

    /// <summary>The latest decision in a line, for the resource's properties: "rolledBack v0009 (shadow 50 %): agreement 0.12 is below 0.75".</summary>
    public static string DescribeDecision(RolloutDecision decision) =>
        $"{Kind(decision.Kind)} {decision.Candidate} ({(decision.Mode == RolloutMode.Shadow ? "shadow" : "canary")} "
        + $"{(decision.Share * 100).ToString("0.#", CultureInfo.InvariantCulture)} %) at {decision.At:u}: {decision.Reason}";

    private static string Kind(RolloutDecisionKind kind) => kind switch
    {
        RolloutDecisionKind.Started => "started",
        RolloutDecisionKind.Advanced => "advanced",
        RolloutDecisionKind.Promoted => "promoted",
        RolloutDecisionKind.RolledBack => "rolled back",
        _ => "aborted",
    };
}
