namespace Fer.Trainer.Jobs;

public sealed record TrainJobTimings
{
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Seconds from start to finish, or to the last update while running.</summary>
    public double? RunningSeconds { get; init; }

    /// <summary>Seconds each stage took so far (loading, caching, phase1, phase2, evaluating, exporting, publishing).</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();
}
