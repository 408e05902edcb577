namespace Fer.Registry.Rollouts;

/// <summary>One step of a rollout: the mode and the share of requests (0 to 1) the candidate sees, the requests it must
/// have seen before the step may pass, and how long the step may last before it is decided on what it has.</summary>
public sealed record RolloutStep(RolloutMode Mode, double Share, int MinRequests, TimeSpan MaxDuration);
