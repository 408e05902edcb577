using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Resolves the paths a job or the configuration names: absolute as given; relative against the repository root (the
/// folder holding Fer.sln above the content root or the executable), then the content root.
/// </summary>
public sealed class TrainerPaths
{
    private readonly TrainerOptions options;
    private readonly string[] bases;

    public TrainerPaths(IOptions<TrainerOptions> options, IHostEnvironment environment)
    {
        this.options = options.Value;
        RepositoryRoot = FindRepositoryRoot(environment.ContentRootPath) ?? FindRepositoryRoot(AppContext.BaseDirectory);
        bases = new[] { RepositoryRoot, environment.ContentRootPath }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The folder holding Fer.sln, or null when the service runs outside a checkout.</summary>
    public string? RepositoryRoot { get; }

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

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Fer.sln"))) return directory.FullName;
        return null;
    }
}
