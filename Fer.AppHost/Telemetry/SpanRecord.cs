namespace Fer.AppHost.Telemetry;

/// <summary>One span as received (ids in lower-case hex, times in Unix milliseconds).</summary>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    double StartMs,
    double EndMs,
    string Status,
    string? StatusMessage,
    string Service,
    string? Instance,
    string Scope,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEventRecord> Events,
    IReadOnlyList<string> LinkedTraceIds)
{
    public double DurationMs => EndMs - StartMs;

    public bool IsError => Status == "Error";
}
