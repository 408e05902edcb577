using Fer.Contracts;
using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Finds a job's training data: the job's own <c>data</c>, else <see cref="TrainerOptions.DataDirectory"/>, else the
/// fallbacks. A folder counts when it has <c>train/</c> with at least one class folder; a file when it is a CSV.
/// </summary>
public sealed class TrainingDataLocator(TrainerPaths paths, IOptions<TrainerOptions> options)
{
    public const string TrainFolder = "train";

    public static string ExpectedLayout =>
        $"an image-folder root with {TrainFolder}/<class>/*.jpg (classes: {string.Join(", ", EmotionLabels.Names)}; " +
        "test/ and val/ alongside are optional), or a FER2013 CSV file (emotion,pixels,Usage)";

    /// <exception cref="TrainingDataNotFoundException">Nothing usable in any place looked at.</exception>
    public string Locate(string? requested)
    {
        var looked = new List<string>();
        var sources = requested is null
            ? new[] { options.Value.DataDirectory }.Concat(options.Value.EffectiveFallbackDataDirectories)
            : [requested];
        foreach (var candidate in sources.SelectMany(paths.Candidates))
        {
            var verdict = Check(candidate);
            if (verdict is null) return candidate;
            looked.Add($"{candidate} ({verdict})");
        }
        var origin = requested is null
            ? $"the configured {TrainerOptions.SectionName}:{nameof(TrainerOptions.DataDirectory)} and its fallbacks"
            : "the job's 'data'";
        throw new TrainingDataNotFoundException(
            $"no training data found from {origin}; looked in: {string.Join("; ", looked)}. Expected {ExpectedLayout}.");
    }

    // null: usable; otherwise why not.
    private static string? Check(string path)
    {
        if (File.Exists(path))
            return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? null : "a file that is not a .csv";
        if (!Directory.Exists(path)) return "not found";
        var train = Path.Combine(path, TrainFolder);
        if (!Directory.Exists(train)) return $"no {TrainFolder}/ folder";
        var classes = Directory.GetDirectories(train).Select(Path.GetFileName)
            .Count(name => EmotionLabels.Names.Contains(name, StringComparer.OrdinalIgnoreCase));
        return classes == 0 ? $"{TrainFolder}/ holds no class folders" : null;
    }
}
