using Fer.AppHost.Telemetry;

namespace Fer.AppHost.Otlp;

/// <summary>Decodes an OTLP export request of any signal and files it in its store.</summary>
public sealed class OtlpIngest(TraceStore traces, LogStore logs, MetricStore metrics)
{
    /// <summary>Returns how many items the request held; throws <see cref="ProtoException"/> on malformed input.</summary>
    public int Ingest(OtlpSignal signal, ReadOnlySpan<byte> request)
    {
        switch (signal)
        {
            case OtlpSignal.Traces:
                var spans = TraceDecoder.Decode(request);
                traces.Add(spans);
                return spans.Count;
            case OtlpSignal.Logs:
                var records = LogDecoder.Decode(request);
                logs.Add(records);
                return records.Count;
            case OtlpSignal.Metrics:
                var samples = MetricDecoder.Decode(request);
                metrics.Add(samples);
                return samples.Count;
            default:
                throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown OTLP signal");
        }
    }
}
