namespace Fer.Trainer.Retraining;

/// <summary>The answer of <c>GET /feedback/policy</c>: the policy, the last run it started, the labels that arrived
/// since, and the recent decisions (newest first).</summary>
public sealed record RetrainingView(RetrainingPolicy Policy, RetrainingState? Last, int NewLabels, IReadOnlyList<RetrainingDecision> Decisions);
