using System.Globalization;
using Fer.Registry.Monitoring;

namespace Fer.AppHost.Registry;

/// <summary>Drift in the registry resource's words: the alarm part of its state (" · drift alarm: brightness, sharpness")
/// and the <c>fer.drift</c> property, every version the replicas report with its alarms or "clear".</summary>
public static class DriftSummary
{
    public const string NoReports = "no replica reports drift";

    /// <summary>The alarms of the versions the state names (production, or a rollout's baseline and candidate), to append
    /// to it; empty when none is in alarm. With one version named the version is implied, with two each alarm names its own.</summary>
    public static string StateAlarms(DriftOverview drift, IReadOnlyList<string> named)
    {
        var alarms = drift.Versions.Where(v => v.Alarm && named.Contains(v.Name, StringComparer.Ordinal)).ToList();
        return named.Count == 1
            ? string.Concat(alarms.Select(v => $" · drift alarm: {string.Join(", ", v.Alarms)}"))
            : string.Concat(alarms.Select(v => $" · drift alarm {v.Name}: {string.Join(", ", v.Alarms)}"));
    }

    /// <summary>Whether any of the named versions is in alarm (the state's style is then Warn).</summary>
    public static bool AnyAlarm(DriftOverview drift, IReadOnlyList<string> named) =>
        drift.Versions.Any(v => v.Alarm && named.Contains(v.Name, StringComparer.Ordinal));

    /// <summary>"v0003 alarm: brightness 293.0, sharpness 269.0 since 2026-12-07 14:00:00Z (1,000 faces) · v0004 clear (1,000 faces)".</summary>
    public static string DescribeVersions(DriftOverview drift) => drift.Versions.Count == 0
        ? NoReports
        : string.Join(" · ", drift.Versions.Select(Describe));

    private static string Describe(DriftOverview.Version version)
    {
        var faces = version.WindowFaces.ToString("N0", CultureInfo.InvariantCulture);
        if (!version.Alarm) return $"{version.Name} clear ({faces} faces)";
        var scores = version.Alarms.Select(statistic => version.Scores.TryGetValue(statistic, out var score)
            ? $"{statistic} {score.ToString("0.0", CultureInfo.InvariantCulture)}"
            : statistic);
        var since = version.AlarmSince is { } at ? $" since {at.ToString("u", CultureInfo.InvariantCulture)}" : "";
        return $"{version.Name} alarm: {string.Join(", ", scores)}{since} ({faces} faces)";
    }
}
