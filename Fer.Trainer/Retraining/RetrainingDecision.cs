namespace Fer.Trainer.Retraining;

/// <summary>One decision of the policy, kept in a bounded list and shown by <c>GET /feedback/policy</c>: fired (with
/// the job it started) or skipped, and why.</summary>
public sealed record RetrainingDecision(RetrainingDecisionKind Kind, string Reason, int NewLabels, string? JobId, DateTimeOffset At)
{
    public bool Fired => Kind == RetrainingDecisionKind.Fired;
}
