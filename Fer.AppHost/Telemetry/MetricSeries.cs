namespace Fer.AppHost.Telemetry;

/// <summary>The points of one instrument for one replica and attribute set: [time ms, value] pairs, oldest first.
/// Histograms chart the mean of each export interval.</summary>
public sealed record MetricSeries(string? Instance, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<double[]> Points);
