using System.Diagnostics.Metrics;

namespace Fer.Registry.Telemetry;

/// <summary>Counters and durations of the "Fer.Registry" meter.</summary>
public sealed class RegistryMetrics
{
    public const string PublishesName = "fer.registry.publishes";
    public const string PublishedBytesName = "fer.registry.published_bytes";
    public const string FetchesName = "fer.registry.fetches";
    public const string FetchedBytesName = "fer.registry.fetched_bytes";
    public const string ProductionChangesName = "fer.registry.production_changes";
    public const string DeletedVersionsName = "fer.registry.retention.deleted";
    public const string DurationName = "fer.registry.operation.duration";

    private readonly Counter<long> publishes;
    private readonly Counter<long> publishedBytes;
    private readonly Counter<long> fetches;
    private readonly Counter<long> fetchedBytes;
    private readonly Counter<long> productionChanges;
    private readonly Counter<long> deletedVersions;
    private readonly Histogram<double> duration;

    public RegistryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RegistryTelemetry.Name);
        publishes = meter.CreateCounter<long>(PublishesName, "{version}", "Versions published");
        publishedBytes = meter.CreateCounter<long>(PublishedBytesName, "By", "ONNX bytes written by publishes");
        fetches = meter.CreateCounter<long>(FetchesName, "{fetch}", "Version reads, by outcome (ok, not_found, missing_chunk, checksum_mismatch, damaged)");
        fetchedBytes = meter.CreateCounter<long>(FetchedBytesName, "By", "ONNX bytes read back and verified");
        productionChanges = meter.CreateCounter<long>(ProductionChangesName, "{change}", "Promotions and rollbacks, by kind");
        deletedVersions = meter.CreateCounter<long>(DeletedVersionsName, "{version}", "Versions removed by retention");
        duration = meter.CreateHistogram<double>(DurationName, "s", "Duration of registry operations, by operation");
    }

    internal void Published(long bytes, TimeSpan elapsed)
    {
        publishes.Add(1);
        publishedBytes.Add(bytes);
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(RegistryTelemetry.OperationTag, "publish"));
    }

    internal void Fetched(string outcome, long bytes, TimeSpan elapsed)
    {
        fetches.Add(1, new KeyValuePair<string, object?>(RegistryTelemetry.OutcomeTag, outcome));
        if (bytes > 0) fetchedBytes.Add(bytes);
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(RegistryTelemetry.OperationTag, "fetch"));
    }

    internal void ProductionChanged(string kind) =>
        productionChanges.Add(1, new KeyValuePair<string, object?>(RegistryTelemetry.KindTag, kind));

    internal void Deleted(int count)
    {
        if (count > 0) deletedVersions.Add(count);
    }
}
