using Fer.Registry.Rollouts;

namespace Fer.Trainer.Apis;

/// <summary>GET /models/rollout: the rollout (null when none runs), every version's evidence for its step, what the gates
/// say now (the next decision, or what it waits for), and the latest decisions, newest first.</summary>
public sealed record RolloutResponse(
    Rollout? Rollout,
    IReadOnlyList<EvidenceSummary> Evidence,
    string? Gates,
    IReadOnlyList<RolloutDecision> Decisions);
