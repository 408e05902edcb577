namespace Fer.AppHost.Telemetry;

/// <summary>One line of the trace list.</summary>
public sealed record TraceSummary(
    string TraceId,
    string Name,
    string Service,
    IReadOnlyList<string> Services,
    double StartMs,
    double DurationMs,
    int SpanCount,
    int ErrorCount);
