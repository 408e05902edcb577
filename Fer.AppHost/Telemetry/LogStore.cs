namespace Fer.AppHost.Telemetry;

/// <summary>The newest MaxLogs structured log records, numbered in arrival order.</summary>
public sealed class LogStore(TelemetryLimits limits)
{
    private readonly LogEntry?[] _entries = new LogEntry?[limits.MaxLogs];
    private readonly Lock _gate = new();
    private long _next = 1;

    public long LastSequence
    {
        get { lock (_gate) return _next - 1; }
    }

    public void Add(IEnumerable<LogEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                _entries[_next % _entries.Length] = entry with { Sequence = _next };
                _next++;
            }
        }
    }

    /// <summary>Matching records, oldest first: the newest <see cref="LogQuery.Limit"/> of those after <see cref="LogQuery.After"/>.</summary>
    public IReadOnlyList<LogEntry> Query(LogQuery query)
    {
        lock (_gate)
        {
            var result = new List<LogEntry>();
            var first = Math.Max(Math.Max(1, query.After + 1), _next - _entries.Length);
            for (var seq = _next - 1; seq >= first && result.Count < query.Limit; seq--)
            {
                var entry = _entries[seq % _entries.Length]!;
                if (query.Service is not null && entry.Service != query.Service) continue;
                if (entry.SeverityNumber < query.MinSeverity) continue;
                if (query.TraceId is not null && !string.Equals(entry.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase)) continue;
                if (query.Text is not null && !entry.Body.Contains(query.Text, StringComparison.OrdinalIgnoreCase)
                    && !entry.Category.Contains(query.Text, StringComparison.OrdinalIgnoreCase)) continue;
                result.Add(entry);
            }
            result.Reverse();
            return result;
        }
    }
}
