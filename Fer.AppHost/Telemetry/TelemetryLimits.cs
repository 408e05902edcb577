using System.ComponentModel.DataAnnotations;

namespace Fer.AppHost.Telemetry;

/// <summary>Bounds of the in-memory telemetry (section "Dashboard"): the oldest goes first, like Aspire's dashboard.</summary>
public sealed class TelemetryLimits
{
    public const string Section = "Dashboard";

    [Range(1, 1_000_000)]
    public int MaxTraces { get; set; } = 5000;

    [Range(1, 100_000)]
    public int MaxSpansPerTrace { get; set; } = 2000;

    [Range(1, 10_000_000)]
    public int MaxLogs { get; set; } = 10_000;

    [Range(1, 100_000)]
    public int MaxInstruments { get; set; } = 2000;

    [Range(1, 10_000)]
    public int MaxSeriesPerInstrument { get; set; } = 64;

    [Range(2, 100_000)]
    public int MaxPointsPerSeries { get; set; } = 720;
}
