namespace Fer.Trainer.Jobs;

/// <summary>The body of the 202 that answers <c>POST /train</c>.</summary>
public sealed record TrainJobCreated(string Id, TrainJobState State);
