using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>
/// The envelope the three OTLP export requests share: Request { repeated ResourceX = 1; },
/// ResourceX { Resource resource = 1; repeated ScopeX = 2; }, ScopeX { InstrumentationScope scope = 1; repeated item = 2; }.
/// Each item is handed to the signal's reader with the service, instance and scope it came from.
/// </summary>
public static class OtlpEnvelope
{
    public delegate void ItemReader<T>(ReadOnlySpan<byte> item, TelemetrySource source, List<T> sink);

    public static List<T> Read<T>(ReadOnlySpan<byte> request, ItemReader<T> readItem)
    {
        var items = new List<T>();
        var reader = new ProtoReader(request);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) ReadResource(reader.ReadBytes(), readItem, items);
            else reader.Skip(wire);
        }
        return items;
    }

    private static void ReadResource<T>(ReadOnlySpan<byte> data, ItemReader<T> readItem, List<T> items)
    {
        // The resource may follow the scopes on the wire, so the scopes are read after it.
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
            if (field == 2 && wire == WireType.LengthDelimited) ReadScope(reader.ReadBytes(), service, instance, readItem, items);
            else reader.Skip(wire);
        }
    }

    private static void ReadScope<T>(ReadOnlySpan<byte> data, string service, string? instance, ItemReader<T> readItem, List<T> items)
    {
        var scope = "";
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited) scope = OtlpCommon.ReadScopeName(reader.ReadBytes());
            else reader.Skip(wire);
        }
        var source = new TelemetrySource(service, instance, scope);
        reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2 && wire == WireType.LengthDelimited) readItem(reader.ReadBytes(), source, items);
            else reader.Skip(wire);
        }
    }
}
