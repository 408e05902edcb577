using System.Diagnostics;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.AppHost;

/// <summary>Fer.AppHost as a user starts it (its built executable), for what the test host cannot show: Ctrl+C and publishing.</summary>
public static class AppHostProcess
{
    public static string Executable { get; } = Path.Combine(RepositoryPaths.Root, "Fer.AppHost", "bin", BuildConfiguration(), "net10.0", "Fer.AppHost");

    /// <summary>Starts it through `env --default-signal=INT`: a test runner started in the background ignores SIGINT,
    /// and a child would inherit that, so Ctrl+C (SIGINT) would never reach it.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Executable);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
    }

    /// <summary>Every process (of this user) whose environment holds <paramref name="variable"/>=<paramref name="value"/>.</summary>
    public static IReadOnlyList<int> ProcessesWithEnvironment(string variable, string value)
    {
        var marker = $"{variable}={value}";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                if (environment.Split('\0').Contains(marker)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }
        return found;
    }

    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is { Length: > 0 } configuration ? configuration : "Release";
}
