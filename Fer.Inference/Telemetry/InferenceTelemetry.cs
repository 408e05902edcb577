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
    }

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

    /// <summary>Gauges read their values when collected: the queue depth and the version in service.</summary>
    public void ObserveQueueDepth(Func<int> depth) =>
        meter.CreateObservableGauge("fer.inference.queue.depth", depth, "{request}", "Requests waiting for a batch");

    public void ObserveModelVersion(Func<string?> version) =>
        meter.CreateObservableGauge("fer.inference.model.version", () => version() is { } v
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model.version", v))]
            : Array.Empty<Measurement<int>>(), "{model}", "1 for the model version in service, tagged with it");

    public void Dispose() => meter.Dispose();
}
