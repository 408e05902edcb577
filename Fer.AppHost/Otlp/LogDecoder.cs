using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>ExportLogsServiceRequest (opentelemetry/proto/collector/logs/v1) into <see cref="LogEntry"/>s (Sequence 0:
/// the store numbers them).</summary>
public static class LogDecoder
{
    /// <summary>ExportLogsServiceRequest: the shared envelope, then one LogRecord per item.</summary>
    public static List<LogEntry> Decode(ReadOnlySpan<byte> request) =>
        OtlpEnvelope.Read<LogEntry>(request, (item, source, sink) => sink.Add(ReadLogRecord(item, source.Service, source.Instance, source.Scope)));

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
