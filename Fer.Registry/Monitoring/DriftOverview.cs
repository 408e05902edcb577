namespace Fer.Registry.Monitoring;

/// <summary>Drift over every replica: per version, whether any replica holds it in alarm (and which statistics), the
/// highest score of each statistic, the faces in all windows, and the accuracy estimate over all of them (each
/// replica's weighted by its window) beside the offline figure; and each replica's own report.</summary>
public sealed record DriftOverview(IReadOnlyList<DriftOverview.Version> Versions, IReadOnlyList<DriftReport> Replicas)
{
    public sealed record Version(
        string Name,
        bool Alarm,
        IReadOnlyList<string> Alarms,
        DateTimeOffset? AlarmSince,
        IReadOnlyDictionary<string, double> Scores,
        long WindowFaces,
        double? EstimatedAccuracy,
        double? ThresholdedAccuracy,
        double? OfflineAccuracy,
        double? Temperature);

    public static DriftOverview Of(IReadOnlyList<DriftReport> reports) => new(
        [.. reports.SelectMany(r => r.Versions).GroupBy(v => v.Version, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(Merge)],
        reports);

    private static Version Merge(IGrouping<string, VersionDrift> versions)
    {
        var windows = versions.Where(v => v.EstimatedAccuracy is not null && v.WindowFaces > 0).ToList();
        var faces = windows.Sum(v => (long)v.WindowFaces);
        var alarms = versions.SelectMany(v => v.Alarms).Distinct(StringComparer.Ordinal).ToList();
        return new Version(versions.Key, alarms.Count > 0, alarms, versions.Min(v => v.AlarmSince),
            versions.SelectMany(v => v.Scores).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Max(s => s.Value)),
            versions.Sum(v => (long)v.WindowFaces),
            faces == 0 ? null : Math.Round(windows.Sum(v => v.EstimatedAccuracy!.Value * v.WindowFaces) / faces, 4),
            faces == 0 || windows.Any(v => v.ThresholdedAccuracy is null) ? null
                : Math.Round(windows.Sum(v => v.ThresholdedAccuracy!.Value * v.WindowFaces) / faces, 4),
            versions.First().OfflineAccuracy, versions.First().Temperature);
    }
}
