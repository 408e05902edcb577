using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fer.Inference.Telemetry;

/// <summary>The service's spans and instruments, all named "Fer.Inference" (ServiceDefaults registers Fer.*).</summary>
public sealed class InferenceTelemetry : IDisposable
{
    public const string Name = "Fer.Inference";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter meter;

    public InferenceTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(Name);
        Requests = meter.CreateCounter<long>("fer.inference.requests", "{request}", "Prediction requests by outcome");
        RequestDuration = meter.CreateHistogram<double>("fer.inference.request.duration", "s", "Time from request to answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        QueueTime = meter.CreateHistogram<double>("fer.inference.queue.time", "s", "Time a request waited for its batch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        BatchSize = meter.CreateHistogram<int>("fer.inference.batch.size", "{image}", "Images per model run",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        BatchDuration = meter.CreateHistogram<double>("fer.inference.batch.duration", "s", "Time of one model run",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        Predictions = meter.CreateCounter<long>("fer.inference.predictions", "{image}", "Predicted emotions");
        Swaps = meter.CreateCounter<long>("fer.inference.model.swaps", "{swap}", "Models put into service");
        FailedLoads = meter.CreateCounter<long>("fer.inference.model.load_failures", "{load}", "Model versions refused");
        meter.CreateObservableGauge("fer.inference.queue.depth", QueueDepths, "{request}", "Requests waiting for a batch");
        meter.CreateObservableGauge("fer.inference.model.version", ModelVersions, "{model}", "1 for each model version in service, tagged with it and its role");
    }

    private readonly List<(string Role, Func<int> Depth)> depths = [];
    private readonly List<(string Role, Func<string?> Version)> versions = [];

    private static readonly double[] LatencyBuckets =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

    public Counter<long> Requests { get; }
    public Histogram<double> RequestDuration { get; }
    public Histogram<double> QueueTime { get; }
    public Histogram<int> BatchSize { get; }
    public Histogram<double> BatchDuration { get; }
    public Counter<long> Predictions { get; }
    public Counter<long> Swaps { get; }
    public Counter<long> FailedLoads { get; }

    /// <summary>Counts one prediction request under its outcome and route and records how long it took.</summary>
    public void RecordRequest(string outcome, string? route, TimeSpan duration)
    {
        var tags = new TagList { { TelemetryTags.Outcome, outcome }, { "http.route", route } };
        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Gauges read their values when collected: each batcher's queue depth and each model in service, tagged
    /// with their role (production, candidate).</summary>
    public void ObserveQueueDepth(string role, Func<int> depth)
    {
        lock (depths) depths.Add((role, depth));
    }

    public void ObserveModelVersion(string role, Func<string?> version)
    {
        lock (versions) versions.Add((role, version));
    }

    private IEnumerable<Measurement<int>> QueueDepths()
    {
        lock (depths) return depths.Select(d => new Measurement<int>(d.Depth(), new KeyValuePair<string, object?>(TelemetryTags.Role, d.Role))).ToList();
    }

    private IEnumerable<Measurement<int>> ModelVersions()
    {
        lock (versions)
            return versions.Select(v => (v.Role, Version: v.Version())).Where(v => v.Version is not null)
                .Select(v => new Measurement<int>(1, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, v.Version),
                    new KeyValuePair<string, object?>(TelemetryTags.Role, v.Role))).ToList();
    }

    public void Dispose() => meter.Dispose();
}
