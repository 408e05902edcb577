namespace Fer.Trainer.Jobs;

/// <summary>A job's options with every default filled in: what the job runs with and what the registry records.</summary>
public sealed record TrainJobOptions
{
    /// <summary>The requested data path, or null for the configured directory.</summary>
    public string? Data { get; init; }

    public int ImageSize { get; init; } = TrainDefaults.ImageSize;
    public int Epochs1 { get; init; } = TrainDefaults.Epochs1;
    public int Epochs2 { get; init; } = TrainDefaults.Epochs2;
    public int BatchSize { get; init; } = TrainDefaults.BatchSize;
    public string? Weights { get; init; }
    public string Recipe { get; init; } = TrainDefaults.Recipe;
    public int Seed { get; init; } = TrainDefaults.Seed;
    public PromotionPolicy Promote { get; init; } = PromotionPolicy.IfBetter;
}
