namespace Fer.Trainer.Jobs;

/// <summary>The body of <c>GET /train</c>: recent jobs, newest first.</summary>
public sealed record TrainJobList(IReadOnlyList<TrainJob> Jobs);
