using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>ExportMetricsServiceRequest (opentelemetry/proto/collector/metrics/v1) into flat <see cref="MetricSample"/>s.</summary>
public static class MetricDecoder
{
    /// <summary>ExportMetricsServiceRequest: the shared envelope, then the data points of each Metric.</summary>
    public static List<MetricSample> Decode(ReadOnlySpan<byte> request) => OtlpEnvelope.Read<MetricSample>(request, ReadMetric);

    /// <summary>Metric { string name = 1; string description = 2; string unit = 3; oneof data { Gauge gauge = 5;
    /// Sum sum = 7; Histogram histogram = 9; ExponentialHistogram exponential_histogram = 10; Summary summary = 11; } }</summary>
    private static void ReadMetric(ReadOnlySpan<byte> data, TelemetrySource source, List<MetricSample> samples)
    {
        string name = "", description = "", unit = "";
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.LengthDelimited): name = reader.ReadString(); break;
                case (2, WireType.LengthDelimited): description = reader.ReadString(); break;
                case (3, WireType.LengthDelimited): unit = reader.ReadString(); break;
                default: reader.Skip(wire); break;
            }
        }
        reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            var type = (field, wire) switch
            {
                (5, WireType.LengthDelimited) => "gauge",
                (7, WireType.LengthDelimited) => "sum",
                (9, WireType.LengthDelimited) => "histogram",
                (10, WireType.LengthDelimited) => "exponential_histogram",
                (11, WireType.LengthDelimited) => "summary",
                _ => null,
            };
            if (type is null)
            {
                reader.Skip(wire);
                continue;
            }
            // Every data kind holds its points in field 1.
            var points = new ProtoReader(reader.ReadBytes());
            while (points.TryReadTag(out var pointField, out var pointWire))
            {
                if (pointField == 1 && pointWire == WireType.LengthDelimited)
                    samples.Add(ReadPoint(points.ReadBytes(), type, source, name, description, unit));
                else points.Skip(pointWire);
            }
        }
    }

    /// <summary>
    /// NumberDataPoint { fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; repeated KeyValue attributes = 7; }
    /// HistogramDataPoint and SummaryDataPoint { fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; attributes 9 / 7 }
    /// ExponentialHistogramDataPoint { repeated KeyValue attributes = 1; fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; }
    /// </summary>
    private static MetricSample ReadPoint(ReadOnlySpan<byte> data, string type, TelemetrySource source, string name, string description, string unit)
    {
        var attributesField = type switch { "histogram" => 9, "exponential_histogram" => 1, _ => 7 };
        var isNumber = type is "gauge" or "sum";
        ulong time = 0;
        double? value = null, count = null, sum = null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == attributesField && wire == WireType.LengthDelimited) OtlpCommon.AddKeyValue(attributes, reader.ReadBytes());
            else if (field == 3 && wire == WireType.Fixed64) time = reader.ReadFixed64();
            else if (isNumber && field == 4 && wire == WireType.Fixed64) value = reader.ReadDouble();
            else if (isNumber && field == 6 && wire == WireType.Fixed64) value = (long)reader.ReadFixed64();
            else if (!isNumber && field == 4 && wire == WireType.Fixed64) count = reader.ReadFixed64();
            else if (!isNumber && field == 5 && wire == WireType.Fixed64) sum = reader.ReadDouble();
            else reader.Skip(wire);
        }
        return new MetricSample(source, name, description, unit, type, attributes, UnixTime.ToMilliseconds(time), value, count, sum);
    }
}
