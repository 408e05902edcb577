namespace Fer.Registry.Rollouts;

/// <summary>One version's evidence as people read it (the replica's and the trainer's rollout views): rates and
/// percentiles rather than counts per bucket; <see cref="BaselineLatencyP95Ms"/> is a shadowed candidate's reference,
/// production's p95 on the same requests run alike.</summary>
public sealed record EvidenceSummary(
    string Version,
    string Role,
    long Requests,
    long Errors,
    double ErrorRate,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    double MeanConfidence,
    IReadOnlyDictionary<string, long> Classes,
    long ComparedFaces,
    double? Agreement,
    long[][] Disagreements,
    long ShadowDropped,
    string? Refused,
    double? BaselineLatencyP95Ms = null)
{
    public static EvidenceSummary Of(VersionEvidence evidence) => new(
        evidence.Version, evidence.Role, evidence.Requests, evidence.Errors, evidence.ErrorRate,
        Ms(evidence.Latency(0.5)), Ms(evidence.Latency(0.95)), Ms(evidence.Latency(0.99)), evidence.MeanConfidence,
        Fer.Contracts.EmotionLabels.Names.Select((name, i) => (name, count: i < evidence.Classes.Length ? evidence.Classes[i] : 0))
            .ToDictionary(pair => pair.name, pair => pair.count),
        evidence.ComparedFaces, evidence.Agreement, evidence.Disagreements, evidence.ShadowDropped, evidence.Refused,
        Ms(evidence.BaselineLatency(0.95)));

    /// <summary>Milliseconds; a percentile beyond the last bucket reads as that bucket's edge (5,000 ms: "or more").</summary>
    private static double? Ms(double? seconds) => seconds is not { } s ? null : (double.IsFinite(s) ? s : VersionEvidence.LatencyEdges[^1]) * 1000;
}
