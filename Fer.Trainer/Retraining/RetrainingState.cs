namespace Fer.Trainer.Retraining;

/// <summary>The last run the policy started, in Redis so a restarted (or a second) trainer decides the same.</summary>
public sealed record RetrainingState(DateTimeOffset LastTriggerAt, string? LastJobId, int LabelsAtTrigger);
