using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Fer.Tests.Kubernetes;

/// <summary>The kubectl on PATH, where there is one: its kustomize's major version, and a way to run it.</summary>
public static partial class Kubectl
{
    private static readonly Lazy<int?> KustomizeMajor = new(() =>
        Run("version", "--client") is { } version && KustomizeVersion().Match(version) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null);

    /// <summary>Null when there is no kubectl or it names no kustomize.</summary>
    public static int? KustomizeMajorVersion => KustomizeMajor.Value;

    /// <summary>kubectl's standard output, or null when it is missing, fails or takes over a minute.</summary>
    public static string? Run(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return process.WaitForExit(TimeSpan.FromSeconds(60)) && process.ExitCode == 0 ? text.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no kubectl
        }
    }

    [GeneratedRegex(@"Kustomize Version: v(\d+)[.\d]*")]
    private static partial Regex KustomizeVersion();
}
