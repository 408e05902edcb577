using System.Diagnostics.Metrics;
using Fer.Contracts.Monitoring;
using Fer.Faces.Finding;
using Fer.Inference.Batching;
using Fer.Inference.Prediction;
using Fer.Inference.Telemetry;
using Fer.Registry.Monitoring;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Monitoring;

/// <summary>
/// Live statistics per model version against the version's reference (<see cref="ReferenceCatalog"/>): a sliding
/// window per version (<see cref="VersionWindow"/>; at most <see cref="DriftOptions.MaxVersions"/> of them, so memory
/// is bounded), drift tests on them, the label-free accuracy estimate, and OpenTelemetry instruments
/// (<c>fer.drift.score</c> per version and statistic, <c>fer.drift.alarm</c>, <c>fer.drift.alarms</c>,
/// <c>fer.model.accuracy.estimate</c> beside <c>fer.model.accuracy.offline</c>). An alarm raised or cleared is logged.
/// </summary>
public sealed partial class DriftMonitor : IDisposable
{
    public const string MeterName = "Fer.Inference.Monitoring";

    /// <summary>How often the metric gauges may re-solve the estimates: an exporter collects each gauge every second or
    /// so, and under traffic every collection would find the window changed.</summary>
    private static readonly TimeSpan GaugeRefresh = TimeSpan.FromSeconds(5);

    private readonly DriftOptions options;
    private readonly ReferenceCatalog references;
    private readonly TimeProvider time;
    private readonly ILogger<DriftMonitor> logger;
    private readonly Meter meter;
    private readonly Counter<long> alarmsRaised;
    private readonly Dictionary<string, VersionWindow> windows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long gaugesRefreshedAt;

    public DriftMonitor(IOptions<DriftOptions> options, ReferenceCatalog references, IMeterFactory meters, TimeProvider time, ILogger<DriftMonitor> logger)
    {
        this.options = options.Value;
        this.references = references;
        this.time = time;
        this.logger = logger;
        meter = meters.Create(MeterName);
        meter.CreateObservableGauge("fer.drift.score", ObserveScores, "1",
            "Drift score per model version and statistic: -log10 of the p-value of the chi-square test of its window against the reference");
        meter.CreateObservableGauge("fer.drift.alarm", () => Observe(w => w.Alarms.Count > 0 ? 1.0 : 0.0), "1",
            "1 while some statistic of the model version is in drift alarm");
        meter.CreateObservableGauge("fer.model.accuracy.estimate", () => Observe(w => w.EstimatedAccuracy), "1",
            "Label-free accuracy estimate per model version: the transport estimate of the calibrated confidences of the faces in its window");
        meter.CreateObservableGauge("fer.model.accuracy.offline", () => Observe(w => w.Reference.Accuracy), "1",
            "The model version's accuracy on its validation set");
        alarmsRaised = meter.CreateCounter<long>("fer.drift.alarms", "{alarm}", "Drift alarms raised, per model version and statistic");
    }

    /// <summary>The versions watched now, and the bytes their windows hold (fixed per window: the bound is
    /// <see cref="DriftOptions.MaxVersions"/> windows).</summary>
    public int VersionsWatched
    {
        get
        {
            lock (gate) return windows.Count;
        }
    }

    public long BytesHeld
    {
        get
        {
            lock (gate) return windows.Values.Sum(w => w.BytesHeld);
        }
    }

    /// <summary>A request's faces as <paramref name="version"/> answered them (crops in the order of <paramref name="found"/>).</summary>
    internal void Record(string version, IReadOnlyList<FoundFaces> found, PredictionRows rows)
    {
        if (rows.Count == 0 || references.Get(version) is not { } reference) return;
        var faces = new FaceObservation[rows.Count];
        var next = 0;
        foreach (var image in found)
        {
            var photoSide = Math.Min(image.ImageWidth, image.ImageHeight);
            foreach (var face in image.Faces)
            {
                if (next == faces.Length) break;
                var (result, row) = rows.Of(next);
                (double, double, double)? detected = face.Box is { } box ? (Math.Max(box.Width, box.Height), box.Score, photoSide) : null;
                faces[next++] = FaceObservation.Of(result.ProbabilitiesOf(row), face.Crop.Pixels, reference, detected);
            }
        }
        Record(version, reference, faces.AsSpan(0, next));
    }

    /// <summary>Crops sent in the model's input form (the Open Inference Protocol), as <paramref name="version"/> answered
    /// them in <paramref name="result"/>: faces taken whole, no detector.</summary>
    internal void Record(string version, IReadOnlyList<float[]> crops, BatchResult result)
    {
        if (crops.Count == 0 || references.Get(version) is not { } reference) return;
        var faces = new FaceObservation[Math.Min(crops.Count, result.Images)];
        for (var i = 0; i < faces.Length; i++) faces[i] = FaceObservation.Of(result.ProbabilitiesOf(i), crops[i], reference);
        Record(version, reference, faces);
    }

    /// <summary>Faces <paramref name="version"/> answered, measured against <paramref name="reference"/>.</summary>
    public void Record(string version, Fer.Contracts.Monitoring.MonitoringReference reference, ReadOnlySpan<FaceObservation> faces)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<string>? before = null, after = null;
        VersionWindow window;
        lock (gate)
        {
            window = WindowOf(version, reference);
            foreach (var face in faces)
            {
                var previous = window.Alarms;
                if (!window.Add(face, now)) continue;
                before ??= previous;
                after = window.Alarms;
            }
        }
        if (before is null || after is null) return;
        var raised = after.Except(before).ToList();
        foreach (var statistic in raised)
            alarmsRaised.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, version), new KeyValuePair<string, object?>("statistic", statistic));
        if (raised.Count > 0)
            LogAlarmRaised(logger, version, string.Join(", ", after), string.Join(", ", after.Select(s => $"{s} {window.Scores.GetValueOrDefault(s):F1}")), window.Held);
        else if (before.Count > 0 && after.Count == 0)
            LogAlarmCleared(logger, version, window.Held);
    }

    /// <summary>Every watched version's drift now.</summary>
    public IReadOnlyList<VersionDrift> Snapshot()
    {
        RefreshEstimates();
        lock (gate)
            return [.. windows.Values.OrderBy(w => w.Version, StringComparer.Ordinal).Select(w => new VersionDrift(w.Version, true, w.Seen, w.Held,
                w.Scores, w.Alarms, w.AlarmSince, w.EstimatedAccuracy is { } e ? Math.Round(e, 4) : null,
                w.ThresholdedAccuracy is { } t ? Math.Round(t, 4) : null, w.Reference.Accuracy, w.Reference.Temperature,
                w.MeanCalibratedConfidence is { } m ? Math.Round(m, 4) : null))];
    }

    public void Dispose() => meter.Dispose();

    private VersionWindow WindowOf(string version, Fer.Contracts.Monitoring.MonitoringReference reference)
    {
        if (!windows.TryGetValue(version, out var window) || !ReferenceEquals(window.Reference, reference))
        {
            if (window is null && windows.Count >= options.MaxVersions)
                windows.Remove(windows.Values.MinBy(w => w.LastUsed)!.Version);
            windows[version] = window = new VersionWindow(version, reference, options);
        }
        window.LastUsed = time.GetTimestamp();
        return window;
    }

    private IEnumerable<Measurement<double>> ObserveScores()
    {
        lock (gate)
            return [.. windows.Values.SelectMany(w => Enumerable.Range(0, DriftStatistic.Count)
                .Where(s => !double.IsNaN(w.ScoreOf(s)))
                .Select(s => new Measurement<double>(w.ScoreOf(s), new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, w.Version),
                    new KeyValuePair<string, object?>("statistic", DriftStatistic.Names[s]))))];
    }

    /// <summary>Solves the transport estimate of every window whose faces changed since it was last solved, outside the
    /// lock (about 7 ms for 1,000 faces, docs/monitoring.md), so that recording faces never waits on it.</summary>
    private void RefreshEstimates()
    {
        List<(VersionWindow Window, long Seen, float[] Rows, double[] Shares)> stale = [];
        lock (gate)
            foreach (var window in windows.Values)
                if (window.StaleTransport() is { } work) stale.Add((window, work.Seen, work.Rows, work.Shares));
        foreach (var (window, seen, rows, shares) in stale)
        {
            var value = TransportEstimate.Accuracy(rows, shares);
            lock (gate) window.SetTransport(seen, value);
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<VersionWindow, double?> value)
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(Interlocked.Read(ref gaugesRefreshedAt), now) >= GaugeRefresh)
        {
            Interlocked.Exchange(ref gaugesRefreshedAt, now);
            RefreshEstimates();
        }
        lock (gate)
            return [.. windows.Values.Where(w => value(w) is not null)
                .Select(w => new Measurement<double>(value(w)!.Value, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, w.Version)))];
    }

    [LoggerMessage(EventId = 2701, EventName = "DriftAlarm", Level = LogLevel.Warning,
        Message = "Drift alarm for model {Version}: {Statistics} differ from its reference (scores {Scores}; window of {Faces} faces)")]
    private static partial void LogAlarmRaised(ILogger logger, string version, string statistics, string scores, int faces);

    [LoggerMessage(EventId = 2702, EventName = "DriftCleared", Level = LogLevel.Information,
        Message = "Drift alarm for model {Version} cleared: its window of {Faces} faces matches its reference again")]
    private static partial void LogAlarmCleared(ILogger logger, string version, int faces);
}
