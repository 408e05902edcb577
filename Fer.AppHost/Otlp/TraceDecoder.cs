using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1) into <see cref="SpanRecord"/>s.</summary>
public static class TraceDecoder
{
    private static readonly string[] Kinds = ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"];
    private static readonly string[] Statuses = ["Unset", "Ok", "Error"];

    /// <summary>ExportTraceServiceRequest: the shared envelope, then one Span per item.</summary>
    public static List<SpanRecord> Decode(ReadOnlySpan<byte> request) =>
        OtlpEnvelope.Read<SpanRecord>(request, (item, source, sink) => sink.Add(ReadSpan(item, source.Service, source.Instance, source.Scope)));

    /// <summary>
    /// Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    /// fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
    /// repeated Event events = 11; repeated Link links = 13; Status status = 15; }
    /// </summary>
    private static SpanRecord ReadSpan(ReadOnlySpan<byte> data, string service, string? instance, string scope)
    {
        string? traceId = null, spanId = null, parentId = null, statusMessage = null;
        string name = "", kind = Kinds[0], status = Statuses[0];
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new List<SpanEventRecord>();
        var links = new List<string>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.LengthDelimited): traceId = OtlpCommon.Hex(reader.ReadBytes()); break;
                case (2, WireType.LengthDelimited): spanId = OtlpCommon.Hex(reader.ReadBytes()); break;
                case (4, WireType.LengthDelimited): parentId = OtlpCommon.Hex(reader.ReadBytes()); break;
                case (5, WireType.LengthDelimited): name = reader.ReadString(); break;
                case (6, WireType.Varint): kind = Kinds.ElementAtOrDefault((int)reader.ReadVarint()) ?? Kinds[0]; break;
                case (7, WireType.Fixed64): start = reader.ReadFixed64(); break;
                case (8, WireType.Fixed64): end = reader.ReadFixed64(); break;
                case (9, WireType.LengthDelimited): OtlpCommon.AddKeyValue(attributes, reader.ReadBytes()); break;
                case (11, WireType.LengthDelimited): events.Add(ReadEvent(reader.ReadBytes())); break;
                case (13, WireType.LengthDelimited): if (ReadLinkTraceId(reader.ReadBytes()) is { } linked) links.Add(linked); break;
                case (15, WireType.LengthDelimited): (status, statusMessage) = ReadStatus(reader.ReadBytes()); break;
                default: reader.Skip(wire); break;
            }
        }
        if (traceId is null || spanId is null) throw new ProtoException($"span '{name}' has no trace_id or span_id");
        return new SpanRecord(traceId, spanId, parentId, name, kind, UnixTime.ToMilliseconds(start),
            UnixTime.ToMilliseconds(Math.Max(start, end)), status, statusMessage, service, instance, scope, attributes, events, links);
    }

    /// <summary>Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }</summary>
    private static SpanEventRecord ReadEvent(ReadOnlySpan<byte> data)
    {
        ulong time = 0;
        var name = "";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.Fixed64): time = reader.ReadFixed64(); break;
                case (2, WireType.LengthDelimited): name = reader.ReadString(); break;
                case (3, WireType.LengthDelimited): OtlpCommon.AddKeyValue(attributes, reader.ReadBytes()); break;
                default: reader.Skip(wire); break;
            }
        }
        return new SpanEventRecord(UnixTime.ToMilliseconds(time), name, attributes);
    }

    /// <summary>Link { bytes trace_id = 1; ... }</summary>
    private static string? ReadLinkTraceId(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) return OtlpCommon.Hex(reader.ReadBytes());
            reader.Skip(wire);
        }
        return null;
    }

    /// <summary>Status { string message = 2; StatusCode code = 3; }</summary>
    private static (string Status, string? Message) ReadStatus(ReadOnlySpan<byte> data)
    {
        string status = Statuses[0];
        string? message = null;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (2, WireType.LengthDelimited): message = reader.ReadString(); break;
                case (3, WireType.Varint): status = Statuses.ElementAtOrDefault((int)reader.ReadVarint()) ?? Statuses[0]; break;
                default: reader.Skip(wire); break;
            }
        }
        return (status, string.IsNullOrEmpty(message) ? null : message);
    }
}
