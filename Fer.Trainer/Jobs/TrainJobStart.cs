namespace Fer.Trainer.Jobs;

/// <summary>The answer to a start request: the new job, or the job that holds the trainer (<see cref="Conflict"/>).</summary>
public sealed record TrainJobStart(TrainJob Job, bool Conflict);
