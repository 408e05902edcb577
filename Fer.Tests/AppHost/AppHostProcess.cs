using System.Diagnostics;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.AppHost;

/// <summary>Fer.AppHost as a user starts it (its built executable), for what the test host cannot show: Ctrl+C and publishing.</summary>
public static class AppHostProcess
{
    public static string Executable { get; } = RepositoryPaths.BuildOutput("Fer.AppHost", "Fer.AppHost");

    /// <summary>Starts it so that Ctrl+C reaches it (<see cref="InterruptibleProcess"/>).</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        InterruptibleProcess.Start(Executable, arguments, environment);

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
}
