namespace Fer.AppHost.Telemetry;

/// <summary>One structured log record; Sequence orders the store and lets a reader ask for what came after.</summary>
public sealed record LogEntry(
    long Sequence,
    double TimeMs,
    int SeverityNumber,
    string Level,
    string Body,
    string Service,
    string? Instance,
    string Category,
    string? TraceId,
    string? SpanId,
    string? EventName,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>OTLP severity numbers in bands of four: 1 trace, 5 debug, 9 info, 13 warn, 17 error, 21 fatal.</summary>
    public static string LevelOf(int severityNumber) => severityNumber switch
    {
        <= 0 => "Unspecified",
        <= 4 => "Trace",
        <= 8 => "Debug",
        <= 12 => "Information",
        <= 16 => "Warning",
        <= 20 => "Error",
        _ => "Critical",
    };

    public static int SeverityOf(string level) => level.ToLowerInvariant() switch
    {
        "trace" => 1,
        "debug" => 5,
        "information" or "info" => 9,
        "warning" or "warn" => 13,
        "error" => 17,
        "critical" or "fatal" => 21,
        _ => throw new ArgumentException($"unknown level '{level}' (trace, debug, information, warning, error, critical)", nameof(level)),
    };
}
