namespace Fer.AppHost.Telemetry;

/// <summary>One data point of one instrument, flattened: gauges and sums carry Value; histograms Count and Sum.</summary>
public sealed record MetricSample(
    TelemetrySource Source,
    string Name,
    string Description,
    string Unit,
    string Type,
    IReadOnlyDictionary<string, string> Attributes,
    double TimeMs,
    double? Value,
    double? Count,
    double? Sum);
