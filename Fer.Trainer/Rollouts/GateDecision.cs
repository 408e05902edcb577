namespace Fer.Trainer.Rollouts;

/// <summary>A verdict and the reason for it, in words fit for the decision log and the page.</summary>
public sealed record GateDecision(GateVerdict Verdict, string Reason);
