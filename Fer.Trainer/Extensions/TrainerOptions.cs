namespace Fer.Trainer.Extensions;

/// <summary>Settings of the training service, bound from the "Trainer" configuration section.</summary>
public sealed class TrainerOptions
{
    public const string SectionName = "Trainer";

    /// <summary>Training data when a job names none; relative paths are taken from the content root, else from the
    /// current directory (the AppHost passes absolute ones).</summary>
    public string DataDirectory { get; set; } = "data/fer2013";

    /// <summary>Tried, in order, when <see cref="DataDirectory"/> is not there (same rules for relative paths); when
    /// none are configured, <see cref="DefaultFallbackDataDirectories"/>. (A list default would be appended to by the
    /// configuration binder, not replaced.)</summary>
    public List<string> FallbackDataDirectories { get; set; } = [];

    public static IReadOnlyList<string> DefaultFallbackDataDirectories { get; } = ["../shared/data/fer2013"];

    public IReadOnlyList<string> EffectiveFallbackDataDirectories =>
        FallbackDataDirectories.Count > 0 ? FallbackDataDirectories : DefaultFallbackDataDirectories;

    /// <summary>Backbone weights a job uses when it names none (null: none).</summary>
    public string? WeightsPath { get; set; }

    /// <summary>Where each job gets its run folder (checkpoints, log, report, model.onnx).</summary>
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>How many finished jobs are kept in Redis and listed by <c>GET /train</c>.</summary>
    public int RecentJobs { get; set; } = 50;

    /// <summary>Prefix of the trainer's own Redis keys (job hashes and the recent-jobs index).</summary>
    public string KeyPrefix { get; set; } = "fer:trainer";

    /// <summary>Progress is written to Redis at most this often (epochs and state changes are written at once).</summary>
    public TimeSpan ProgressSaveInterval { get; set; } = TimeSpan.FromSeconds(2);
}
