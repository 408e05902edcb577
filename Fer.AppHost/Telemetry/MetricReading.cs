namespace Fer.AppHost.Telemetry;

/// <summary>The latest value of an instrument for one replica and attribute set (the host/GPU panel).</summary>
public sealed record MetricReading(string Service, string? Instance, string Name, string Unit,
    IReadOnlyDictionary<string, string> Attributes, double TimeMs, double Value);
