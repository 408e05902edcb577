using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>ExportLogsServiceRequest (opentelemetry/proto/collector/logs/v1) into <see cref="LogEntry"/>s (Sequence 0:
/// the store numbers them).</summary>
public static class LogDecoder
{
    /// <summary>ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }</summary>
    public static List<LogEntry> Decode(ReadOnlySpan<byte> request)
    {
        var logs = new List<LogEntry>();
        var reader = new ProtoReader(request);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) ReadResourceLogs(reader.ReadBytes(), logs);
            else reader.Skip(wire);
        }
        return logs;
    }

    /// <summary>ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }</summary>
    private static void ReadResourceLogs(ReadOnlySpan<byte> data, List<LogEntry> logs)
    {
        var (service, instance) = (OtlpCommon.UnknownService, (string?)null);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) (service, instance) = OtlpCommon.ReadResource(reader.ReadBytes());
            else reader.Skip(wire);
        }
        reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2 && wire == WireType.LengthDelimited) ReadScopeLogs(reader.ReadBytes(), service, instance, logs);
            else reader.Skip(wire);
        }
    }

    /// <summary>ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; } (.NET: scope = category)</summary>
    private static void ReadScopeLogs(ReadOnlySpan<byte> data, string service, string? instance, List<LogEntry> logs)
    {
        var scope = "";
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) scope = OtlpCommon.ReadScopeName(reader.ReadBytes());
            else reader.Skip(wire);
        }
        reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2 && wire == WireType.LengthDelimited) logs.Add(ReadLogRecord(reader.ReadBytes(), service, instance, scope));
            else reader.Skip(wire);
        }
    }

    /// <summary>
    /// LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2; string severity_text = 3;
    /// AnyValue body = 5; repeated KeyValue attributes = 6; bytes trace_id = 9; bytes span_id = 10;
    /// fixed64 observed_time_unix_nano = 11; string event_name = 12; }
    /// </summary>
    private static LogEntry ReadLogRecord(ReadOnlySpan<byte> data, string service, string? instance, string scope)
    {
        ulong time = 0, observed = 0;
        var severity = 0;
        string? severityText = null, traceId = null, spanId = null, eventName = null;
        var body = "";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.Fixed64): time = reader.ReadFixed64(); break;
                case (2, WireType.Varint): severity = (int)reader.ReadVarint(); break;
                case (3, WireType.LengthDelimited): severityText = reader.ReadString(); break;
                case (5, WireType.LengthDelimited): body = OtlpCommon.ReadAnyValue(reader.ReadBytes()); break;
                case (6, WireType.LengthDelimited): OtlpCommon.AddKeyValue(attributes, reader.ReadBytes()); break;
                case (9, WireType.LengthDelimited): traceId = OtlpCommon.Hex(reader.ReadBytes()); break;
                case (10, WireType.LengthDelimited): spanId = OtlpCommon.Hex(reader.ReadBytes()); break;
                case (11, WireType.Fixed64): observed = reader.ReadFixed64(); break;
                case (12, WireType.LengthDelimited): eventName = reader.ReadString(); break;
                default: reader.Skip(wire); break;
            }
        }
        var level = severity > 0 || severityText is null ? LogEntry.LevelOf(severity) : severityText;
        return new LogEntry(0, UnixTime.ToMilliseconds(time != 0 ? time : observed), severity, level, body, service, instance,
            scope, traceId, spanId, string.IsNullOrEmpty(eventName) ? null : eventName, attributes);
    }
}
