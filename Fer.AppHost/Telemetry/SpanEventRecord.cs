namespace Fer.AppHost.Telemetry;

public sealed record SpanEventRecord(double TimeMs, string Name, IReadOnlyDictionary<string, string> Attributes);
