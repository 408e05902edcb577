namespace Fer.Registry.Monitoring;

/// <summary>One version's drift on one replica: the faces its window holds (of all it answered), the drift score of
/// each statistic at the last check (-log10 of the test's p-value: 5 means a chance of 1 in 100,000 under no drift),
/// the statistics in alarm and since when, and the label-free accuracy estimates beside the offline figure: the transport
/// estimate (<see cref="EstimatedAccuracy"/>; the mean calibrated confidence where the version's reference predates it),
/// the share of faces above the reference's confidence threshold, and the mean calibrated confidence.</summary>
public sealed record VersionDrift(
    string Version,
    bool HasReference,
    long Faces,
    int WindowFaces,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<string> Alarms,
    DateTimeOffset? AlarmSince,
    double? EstimatedAccuracy,
    double? ThresholdedAccuracy,
    double? OfflineAccuracy,
    double? Temperature,
    double? MeanCalibratedConfidence = null)
{
    public bool Alarm => Alarms.Count > 0;
}
