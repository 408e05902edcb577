namespace Fer.Registry.Rollouts;

/// <summary>One decision about a rollout, kept in its log and shown: what was decided, at which step, why, on what
/// evidence (a JSON object, as read when deciding) and under which trace.</summary>
public sealed record RolloutDecision(
    string RolloutId,
    string Candidate,
    RolloutDecisionKind Kind,
    RolloutMode Mode,
    double Share,
    string Reason,
    string? Evidence,
    string? TraceId,
    DateTimeOffset At);
