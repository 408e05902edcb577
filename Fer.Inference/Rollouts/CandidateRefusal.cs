namespace Fer.Inference.Rollouts;

/// <summary>The rollout whose candidate this replica refused to load, and why: reported as evidence, so that the decider
/// rolls it back at once instead of waiting out the step for requests that will never come.</summary>
public sealed record CandidateRefusal(RolloutTarget Target, string Reason);
