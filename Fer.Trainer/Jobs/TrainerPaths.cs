using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Resolves the paths a job or the configuration names: absolute as given; relative against the content root, then the
/// current directory. Under the AppHost every configured path is absolute (it sets Trainer:DataDirectory and the rest).
/// </summary>
public sealed class TrainerPaths
{
    private readonly TrainerOptions options;
    private readonly string[] bases;

    public TrainerPaths(IOptions<TrainerOptions> options, IHostEnvironment environment)
    {
        this.options = options.Value;
        bases = new[] { environment.ContentRootPath, Directory.GetCurrentDirectory() }.Distinct(StringComparer.Ordinal).ToArray();
    }

    public string? DefaultWeights => options.WeightsPath is null ? null : FindFile(options.WeightsPath) ?? Candidates(options.WeightsPath)[0];

    public string RunsDirectory => Candidates(options.RunsDirectory)[0];

    /// <summary>Where a relative <paramref name="path"/> may be, most likely first.</summary>
    public IReadOnlyList<string> Candidates(string path)
    {
        var expanded = path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
        return Path.IsPathRooted(expanded)
            ? [Path.GetFullPath(expanded)]
            : bases.Select(b => Path.GetFullPath(Path.Combine(b, expanded))).Distinct(StringComparer.Ordinal).ToList();
    }

    public string? FindFile(string path) => Candidates(path).FirstOrDefault(File.Exists);
}
