using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fer.Contracts;
using Fer.Inference.Telemetry;
using Fer.Registry.Rollouts;

namespace Fer.Inference.Rollouts;

/// <summary>
/// Live evidence per model version, as OpenTelemetry instruments tagged with the version and its role (so the Aspire
/// dashboard charts production and candidate side by side) and as a summary a decider can read
/// (<see cref="Snapshot"/>): requests, errors, model run time, confidences, predicted classes, and in
/// shadow the agreement with production per face. The summary covers the current rollout step: it starts afresh when
/// the step changes.
/// </summary>
public sealed class RolloutEvidence : IDisposable
{
    public const string MeterName = "Fer.Inference.Rollout";

    private static readonly double[] LatencyBuckets = VersionEvidence.LatencyEdges;

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Histogram<double> latency;
    private readonly Histogram<double> confidence;
    private readonly Counter<long> shadowFaces;
    private readonly ConcurrentDictionary<string, Accumulator> versions = new();
    private string? step;

    public RolloutEvidence(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("fer.model.requests", "{request}", "Requests answered (or shadowed) per model version, by outcome");
        latency = meter.CreateHistogram<double>("fer.model.latency", "s", "Model run time per request (its longest batch), per model version",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        confidence = meter.CreateHistogram<double>("fer.model.confidence", "1", "Confidence of each face's emotion, per model version",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] });
        shadowFaces = meter.CreateCounter<long>("fer.model.shadow.faces", "{face}", "Faces a shadowed candidate saw, by agreement with production");
    }

    /// <summary>Starts the summary afresh when the rollout step (its id and step, or null) is another than before.</summary>
    public void Begin(string? rolloutStep)
    {
        if (rolloutStep == Volatile.Read(ref step)) return;
        lock (versions)
        {
            if (rolloutStep == step) return;
            versions.Clear();
            Volatile.Write(ref step, rolloutStep);
        }
    }

    /// <summary>A request a version answered (or failed: <paramref name="ok"/> false), with its faces' classes and confidences.</summary>
    public void RecordAnswer(string version, string role, bool ok, TimeSpan modelTime, ReadOnlySpan<(int Class, float Confidence)> faces)
    {
        var tags = new TagList { { TelemetryTags.ModelVersion, version }, { TelemetryTags.Role, role }, { TelemetryTags.Outcome, ok ? "ok" : "error" } };
        requests.Add(1, tags);
        if (ok) latency.Record(modelTime.TotalSeconds, new TagList { { TelemetryTags.ModelVersion, version }, { TelemetryTags.Role, role } });
        foreach (var face in faces)
            confidence.Record(face.Confidence, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, version));
        Of(version, role).Add(ok, modelTime, faces);
    }

    /// <summary>A request the candidate saw in shadow: its faces compared with production's emotions, in the same order,
    /// and production's run time on the same faces run the same way (<paramref name="baselineTime"/>, null when it could
    /// not be measured).</summary>
    public void RecordShadow(string version, bool ok, TimeSpan modelTime, TimeSpan? baselineTime, ReadOnlySpan<int> production,
        ReadOnlySpan<(int Class, float Confidence)> candidate)
    {
        RecordAnswer(version, RolloutRoute.Shadow.ToString().ToLowerInvariant(), ok, modelTime, candidate);
        if (!ok) return;
        var accumulator = Of(version, "shadow");
        if (baselineTime is { } baseline) accumulator.AddBaseline(baseline);
        for (var i = 0; i < candidate.Length; i++)
        {
            var agreed = production[i] == candidate[i].Class;
            shadowFaces.Add(1, new TagList { { TelemetryTags.ModelVersion, version }, { "agreed", agreed } });
            accumulator.Compare(production[i], candidate[i].Class);
        }
    }

    /// <summary>Shadow work not done because the replica was saturated (production goes first).</summary>
    public void RecordShadowDropped(string version)
    {
        requests.Add(1, new TagList { { TelemetryTags.ModelVersion, version }, { TelemetryTags.Role, "shadow" }, { TelemetryTags.Outcome, "dropped" } });
        Of(version, "shadow").Drop();
    }

    /// <summary>The key of a rollout's current step, which the evidence belongs to.</summary>
    public static string StepOf(RolloutTarget target) => $"{target.RolloutId}#{target.Step}";

    /// <summary>Every version's evidence since <paramref name="rolloutStep"/> began (none if it only begins now).</summary>
    public IReadOnlyList<VersionEvidence> Snapshot(string? rolloutStep)
    {
        Begin(rolloutStep);
        return [.. versions.Values.Select(a => a.Snapshot())];
    }

    public void Dispose() => meter.Dispose();

    private Accumulator Of(string version, string role) => versions.GetOrAdd(version, v => new Accumulator(v, role));

    private sealed class Accumulator(string version, string role)
    {
        private readonly long[] buckets = new long[LatencyBuckets.Length + 1];
        private readonly long[] baselineBuckets = new long[LatencyBuckets.Length + 1];
        private readonly long[] classes = new long[EmotionLabels.Names.Count];
        private readonly long[][] matrix = [.. EmotionLabels.Names.Select(_ => new long[EmotionLabels.Names.Count])];
        private readonly Lock gate = new();
        private long requestCount, errors, faces, compared, agreed, dropped;
        private double confidenceSum;

        public void Add(bool ok, TimeSpan modelTime, ReadOnlySpan<(int Class, float Confidence)> found)
        {
            lock (gate)
            {
                requestCount++;
                if (!ok)
                {
                    errors++;
                    return;
                }
                buckets[BucketOf(modelTime)]++;
                foreach (var (c, p) in found)
                {
                    faces++;
                    confidenceSum += p;
                    if ((uint)c < classes.Length) classes[c]++;
                }
            }
        }

        public void AddBaseline(TimeSpan modelTime)
        {
            lock (gate) baselineBuckets[BucketOf(modelTime)]++;
        }

        public void Compare(int production, int candidate)
        {
            lock (gate)
            {
                compared++;
                if (production == candidate) agreed++;
                if ((uint)production < matrix.Length && (uint)candidate < matrix.Length) matrix[production][candidate]++;
            }
        }

        public void Drop()
        {
            lock (gate) dropped++;
        }

        public VersionEvidence Snapshot()
        {
            lock (gate)
                return new VersionEvidence(version, role, requestCount, errors, [.. buckets], faces, confidenceSum, [.. classes],
                    compared, agreed, [.. matrix.Select(row => row.ToArray())], dropped,
                    BaselineLatencyBuckets: baselineBuckets.Any(count => count > 0) ? [.. baselineBuckets] : null);
        }

        private static int BucketOf(TimeSpan modelTime)
        {
            var bucket = Array.FindIndex(LatencyBuckets, edge => modelTime.TotalSeconds <= edge);
            return bucket < 0 ? LatencyBuckets.Length : bucket;
        }
    }
}
