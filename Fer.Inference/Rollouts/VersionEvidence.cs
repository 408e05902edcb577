namespace Fer.Inference.Rollouts;

/// <summary>What one model version did on this replica since the current rollout step began: requests and errors, the
/// latency distribution (counts per bucket of <see cref="RolloutEvidence.LatencyBuckets"/>), the confidences and
/// predicted classes of its faces, and in shadow the faces it was compared on, how many it agreed on, and the
/// disagreement matrix (rows: production's emotion, columns: the candidate's).</summary>
public sealed record VersionEvidence(
    string Version,
    string Role,
    long Requests,
    long Errors,
    long[] LatencyBuckets,
    long Faces,
    double ConfidenceSum,
    long[] Classes,
    long ComparedFaces,
    long AgreedFaces,
    long[][] Disagreements,
    long ShadowDropped)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public double MeanConfidence => Faces == 0 ? 0 : ConfidenceSum / Faces;

    public double? Agreement => ComparedFaces == 0 ? null : (double)AgreedFaces / ComparedFaces;

    /// <summary>The latency below which <paramref name="quantile"/> of the requests fell, in seconds (the upper edge of
    /// its bucket; null without requests).</summary>
    public double? Latency(double quantile)
    {
        var total = LatencyBuckets.Sum();
        if (total == 0) return null;
        var wanted = Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < LatencyBuckets.Length; i++)
        {
            seen += LatencyBuckets[i];
            if (seen >= wanted) return i < RolloutEvidence.LatencyBuckets.Length ? RolloutEvidence.LatencyBuckets[i] : double.PositiveInfinity;
        }
        return double.PositiveInfinity;
    }
}
