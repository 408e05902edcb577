using Fer.Registry.Rollouts;

namespace Fer.Inference.Rollouts;

/// <summary>What a replica needs of the rollout in progress: which model (its source key: version and checksum), at
/// which step, in which mode, for which share of requests.</summary>
public sealed record RolloutTarget(string RolloutId, int Step, string CandidateKey, string CandidateVersion, RolloutMode Mode, double Share);
