using System.ComponentModel.DataAnnotations;

namespace Fer.Trainer.Extensions;

/// <summary>Settings of the training service, bound from the "Trainer" configuration section and checked at start from
/// their data annotations (<c>ValidateDataAnnotations</c>); each message names its configuration key.</summary>
public sealed class TrainerOptions : IValidatableObject
{
    public const string SectionName = "Trainer";
    private const string Key = SectionName + ":";

    /// <summary>Training data when a job names none; relative paths are taken from the content root, else from the
    /// current directory (the AppHost passes absolute ones).</summary>
    [Required(ErrorMessage = Key + nameof(DataDirectory) + " must be a path")]
    public string DataDirectory { get; set; } = "data/fer2013";

    /// <summary>Tried, in order, when <see cref="DataDirectory"/> is not there (same rules for relative paths); when
    /// none are configured, <see cref="DefaultFallbackDataDirectories"/>. (A list default would be appended to by the
    /// configuration binder, not replaced.)</summary>
    public List<string> FallbackDataDirectories { get; set; } = [];

    public static IReadOnlyList<string> DefaultFallbackDataDirectories { get; } = ["../shared/data/fer2013"];

    public IReadOnlyList<string> EffectiveFallbackDataDirectories =>
        FallbackDataDirectories.Count > 0 ? FallbackDataDirectories : DefaultFallbackDataDirectories;

    /// <summary>Backbone weights a job uses when it names none (null: none).</summary>
    [MinLength(1, ErrorMessage = Key + nameof(WeightsPath) + " must be a path or left out")]
    [RegularExpression(@"(?s).*\S.*", ErrorMessage = Key + nameof(WeightsPath) + " must be a path or left out")]
    public string? WeightsPath { get; set; }

    /// <summary>Where each job gets its run folder (checkpoints, log, report, model.onnx). By default the user's data
    /// folder (<c>~/.local/share/fer/runs</c> on Linux), so a trainer started alone never writes into the source tree;
    /// the AppHost passes its own (<c>Fer:RunsDirectory</c>).</summary>
    [Required(ErrorMessage = Key + nameof(RunsDirectory) + " must be a path")]
    public string RunsDirectory { get; set; } = DefaultRunsDirectory;

    public static string DefaultRunsDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
            ? data
            : Path.GetTempPath(),
        "fer", "runs");

    /// <summary>How many finished jobs are kept in Redis and listed by <c>GET /train</c>.</summary>
    [Range(1, 10_000, ErrorMessage = Key + nameof(RecentJobs) + " must be from {1} to {2}")]
    public int RecentJobs { get; set; } = 50;

    /// <summary>Prefix of the trainer's own Redis keys (job hashes and the recent-jobs index).</summary>
    [Required(ErrorMessage = Key + nameof(KeyPrefix) + " must be a non-empty word without spaces")]
    [RegularExpression(@"\S+", ErrorMessage = Key + nameof(KeyPrefix) + " must be a non-empty word without spaces")]
    public string KeyPrefix { get; set; } = "fer:trainer";

    /// <summary>Progress is written to Redis at most this often (epochs and state changes are written at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = Key + nameof(ProgressSaveInterval) + " must be from {1} to {2}")]
    public TimeSpan ProgressSaveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What one attribute cannot say: every fallback folder must be a path.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FallbackDataDirectories.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult($"{Key}{nameof(FallbackDataDirectories)} must hold only paths", [nameof(FallbackDataDirectories)]);
    }
}
