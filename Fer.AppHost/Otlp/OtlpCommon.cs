using System.Globalization;
using System.Text;

namespace Fer.AppHost.Otlp;

/// <summary>The messages every OTLP signal shares (opentelemetry/proto/common/v1, resource/v1).</summary>
public static class OtlpCommon
{
    public const string UnknownService = "unknown_service";

    /// <summary>Resource { repeated KeyValue attributes = 1; }: service.name and service.instance.id.</summary>
    public static (string Service, string? Instance) ReadResource(ReadOnlySpan<byte> data)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) AddKeyValue(attributes, reader.ReadBytes());
            else reader.Skip(wire);
        }
        return (attributes.GetValueOrDefault("service.name", UnknownService), attributes.GetValueOrDefault("service.instance.id"));
    }

    /// <summary>InstrumentationScope { string name = 1; string version = 2; ... }.</summary>
    public static string ReadScopeName(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        var name = "";
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) name = reader.ReadString();
            else reader.Skip(wire);
        }
        return name;
    }

    /// <summary>KeyValue { string key = 1; AnyValue value = 2; } added to <paramref name="target"/>.</summary>
    public static void AddKeyValue(Dictionary<string, string> target, ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string key = "", value = "";
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) key = reader.ReadString();
            else if (field == 2 && wire == WireType.LengthDelimited) value = ReadAnyValue(reader.ReadBytes());
            else reader.Skip(wire);
        }
        target[key] = value;
    }

    /// <summary>
    /// AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    /// ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } } as display text.
    /// </summary>
    public static string ReadAnyValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        var text = "";
        while (reader.TryReadTag(out var field, out var wire))
        {
            text = (field, wire) switch
            {
                (1, WireType.LengthDelimited) => reader.ReadString(),
                (2, WireType.Varint) => reader.ReadVarint() != 0 ? "true" : "false",
                (3, WireType.Varint) => ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture),
                (4, WireType.Fixed64) => reader.ReadDouble().ToString("R", CultureInfo.InvariantCulture),
                (5, WireType.LengthDelimited) => ReadArray(reader.ReadBytes()),
                (6, WireType.LengthDelimited) => ReadKeyValueList(reader.ReadBytes()),
                (7, WireType.LengthDelimited) => Convert.ToBase64String(reader.ReadBytes()),
                _ => SkipAndKeep(ref reader, wire, text),
            };
        }
        return text;
    }

    /// <summary>Trace and span ids as lower-case hex; null when absent or all zero.</summary>
    public static string? Hex(ReadOnlySpan<byte> id) => id.IsEmpty || !id.ContainsAnyExcept((byte)0) ? null : Convert.ToHexStringLower(id);

    private static string ReadArray(ReadOnlySpan<byte> data)
    {
        var values = new List<string>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) values.Add(ReadAnyValue(reader.ReadBytes()));
            else reader.Skip(wire);
        }
        return "[" + string.Join(", ", values) + "]";
    }

    private static string ReadKeyValueList(ReadOnlySpan<byte> data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) AddKeyValue(values, reader.ReadBytes());
            else reader.Skip(wire);
        }
        var text = new StringBuilder("{");
        foreach (var (key, value) in values) text.Append(text.Length > 1 ? ", " : "").Append(key).Append(": ").Append(value);
        return text.Append('}').ToString();
    }

    private static string SkipAndKeep(ref ProtoReader reader, WireType wire, string text)
    {
        reader.Skip(wire);
        return text;
    }
}
