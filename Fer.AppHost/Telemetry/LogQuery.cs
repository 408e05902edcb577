namespace Fer.AppHost.Telemetry;

/// <summary>A filter over the log store; every part is optional.</summary>
public sealed record LogQuery(string? Service = null, int MinSeverity = 0, string? TraceId = null, string? Text = null,
    long After = 0, int Limit = 500);
