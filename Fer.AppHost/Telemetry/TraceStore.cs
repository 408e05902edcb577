namespace Fer.AppHost.Telemetry;

/// <summary>The newest traces (at most MaxTraces, each at most MaxSpansPerTrace spans); the oldest trace goes first.</summary>
public sealed class TraceStore(TelemetryLimits limits)
{
    private readonly Dictionary<string, List<SpanRecord>> _traces = new(StringComparer.Ordinal);
    private readonly Queue<string> _arrival = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _traces.Count; }
    }

    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = [];
                    _traces[span.TraceId] = trace;
                    _arrival.Enqueue(span.TraceId);
                    while (_traces.Count > limits.MaxTraces) _traces.Remove(_arrival.Dequeue());
                }
                if (trace.Count < limits.MaxSpansPerTrace) trace.Add(span);
            }
        }
    }

    /// <summary>Newest first; <paramref name="service"/> matches any span's service, <paramref name="text"/> any span name.</summary>
    public IReadOnlyList<TraceSummary> List(string? service, string? text, bool errorsOnly, int limit)
    {
        lock (_gate)
        {
            return _traces.Values
                .Where(spans => service is null || spans.Any(span => span.Service == service))
                .Where(spans => text is null || spans.Any(span => span.Name.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .Where(spans => !errorsOnly || spans.Any(span => span.IsError))
                .Select(Summarize)
                .OrderByDescending(summary => summary.StartMs)
                .Take(limit)
                .ToList();
        }
    }

    /// <summary>The trace's spans ordered by start time; null when unknown (or evicted).</summary>
    public IReadOnlyList<SpanRecord>? Get(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var spans)
                ? spans.OrderBy(span => span.StartMs).ToList()
                : null;
        }
    }

    private static TraceSummary Summarize(List<SpanRecord> spans)
    {
        var ids = spans.Select(span => span.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = spans.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId))
            .OrderBy(span => span.StartMs).First();
        var start = spans.Min(span => span.StartMs);
        var end = spans.Max(span => span.EndMs);
        return new TraceSummary(root.TraceId, root.Name, root.Service, [.. spans.Select(span => span.Service).Distinct()],
            start, end - start, spans.Count, spans.Count(span => span.IsError));
    }
}
