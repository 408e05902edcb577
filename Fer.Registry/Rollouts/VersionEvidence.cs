using System.Text.Json.Serialization;

namespace Fer.Registry.Rollouts;

/// <summary>What one model version did on this replica since the current rollout step began: requests and errors, the
/// latency distribution (counts per bucket of <see cref="LatencyEdges"/>), the confidences and
/// predicted classes of its faces, and in shadow the faces it was compared on, how many it agreed on, and the
/// disagreement matrix (rows: production's emotion, columns: the candidate's). <see cref="Refused"/> is set when a replica
/// could not load the version at all: the replica and its reason. <see cref="BaselineLatencyBuckets"/>, a shadowed
/// candidate's only: production's run time on the same requests, each run alone right after the candidate's, as the
/// candidate's was (the latency gate's like-for-like reference in shadow); null where none was measured.</summary>
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
    long ShadowDropped,
    string? Refused = null,
    long[]? BaselineLatencyBuckets = null)
{
    /// <summary>Upper edges, in seconds, of the latency buckets (a last bucket holds the rest): 0.25 ms up to about
    /// 10 s, each 1.25 times the last, so that a percentile read as its bucket's edge is within 25 % of the truth and a
    /// one-bucket wobble never looks like a doubling.</summary>
    public static readonly double[] LatencyEdges = [.. Enumerable.Range(0, 48).Select(i => Math.Round(0.00025 * Math.Pow(1.25, i), 7))];

    [JsonIgnore]
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    [JsonIgnore]
    public double MeanConfidence => Faces == 0 ? 0 : ConfidenceSum / Faces;

    [JsonIgnore]
    public double? Agreement => ComparedFaces == 0 ? null : (double)AgreedFaces / ComparedFaces;

    /// <summary>The latency below which <paramref name="quantile"/> of the requests fell, in seconds (the upper edge of
    /// its bucket; null without requests).</summary>
    public double? Latency(double quantile) => Percentile(LatencyBuckets, quantile);

    /// <summary>As <see cref="Latency"/>, of production's runs on the requests this candidate was shadowed on (null
    /// without them).</summary>
    public double? BaselineLatency(double quantile) => BaselineLatencyBuckets is { } buckets ? Percentile(buckets, quantile) : null;

    private static double? Percentile(long[] buckets, double quantile)
    {
        var total = buckets.Sum();
        if (total == 0) return null;
        var wanted = Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= wanted) return i < LatencyEdges.Length ? LatencyEdges[i] : double.PositiveInfinity;
        }
        return double.PositiveInfinity;
    }

    /// <summary>This evidence and another replica's of the same version, added up.</summary>
    public VersionEvidence Plus(VersionEvidence other) => new(Version, Role, Requests + other.Requests, Errors + other.Errors,
        Add(LatencyBuckets, other.LatencyBuckets), Faces + other.Faces, ConfidenceSum + other.ConfidenceSum, Add(Classes, other.Classes),
        ComparedFaces + other.ComparedFaces, AgreedFaces + other.AgreedFaces,
        [.. Disagreements.Zip(other.Disagreements, (a, b) => Add(a, b))], ShadowDropped + other.ShadowDropped, Refused ?? other.Refused,
        BaselineLatencyBuckets is { } mine && other.BaselineLatencyBuckets is { } theirs ? Add(mine, theirs) : BaselineLatencyBuckets ?? other.BaselineLatencyBuckets);

    /// <summary>A replica's report that it refused to load <paramref name="version"/> (no requests, the reason).</summary>
    public static VersionEvidence Refusal(string version, string role, string reason)
    {
        var classes = Fer.Contracts.EmotionLabels.Names.Count;
        return new(version, role, 0, 0, new long[LatencyEdges.Length + 1], 0, 0, new long[classes], 0, 0,
            [.. Enumerable.Range(0, classes).Select(_ => new long[classes])], 0, reason);
    }

    private static long[] Add(long[] a, long[] b) => [.. a.Zip(b, (x, y) => x + y)];
}
