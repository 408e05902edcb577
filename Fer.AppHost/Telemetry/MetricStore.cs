namespace Fer.AppHost.Telemetry;

/// <summary>
/// Metric points by service and instrument, then by replica and attribute set. Bounded three ways: instruments,
/// series per instrument, points per series (the oldest point goes first).
/// </summary>
public sealed class MetricStore(TelemetryLimits limits)
{
    private readonly Dictionary<(string Service, string Name), Instrument> _instruments = [];
    private readonly Lock _gate = new();

    public void Add(IEnumerable<MetricSample> samples)
    {
        lock (_gate)
        {
            foreach (var sample in samples)
            {
                var key = (sample.Source.Service, sample.Name);
                if (!_instruments.TryGetValue(key, out var instrument))
                {
                    if (_instruments.Count >= limits.MaxInstruments) continue;
                    instrument = new Instrument(sample);
                    _instruments[key] = instrument;
                }
                var seriesKey = SeriesKey(sample);
                if (!instrument.Series.TryGetValue(seriesKey, out var series))
                {
                    if (instrument.Series.Count >= limits.MaxSeriesPerInstrument) continue;
                    series = new SeriesPoints(sample.Source.Instance, sample.Attributes);
                    instrument.Series[seriesKey] = series;
                }
                series.Add(sample, limits.MaxPointsPerSeries);
            }
        }
    }

    public IReadOnlyList<InstrumentInfo> Instruments()
    {
        lock (_gate)
        {
            return _instruments.Values
                .Select(i => new InstrumentInfo(i.Service, i.Scope, i.Name, i.Description, i.Unit, i.Type, i.Series.Count))
                .OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Every series of one instrument; null when the service never sent it.</summary>
    public IReadOnlyList<MetricSeries>? Series(string service, string name)
    {
        lock (_gate)
        {
            return _instruments.TryGetValue((service, name), out var instrument)
                ? instrument.Series.Values.Select(s => new MetricSeries(s.Instance, s.Attributes, [.. s.Points.Select(p => new[] { p.TimeMs, p.Value })])).ToList()
                : null;
        }
    }

    /// <summary>The newest value of each series of the instruments named (any service).</summary>
    public IReadOnlyList<MetricReading> Latest(Func<string, bool> name)
    {
        lock (_gate)
        {
            return _instruments.Values.Where(i => name(i.Name))
                .SelectMany(i => i.Series.Values.Where(s => s.Points.Count > 0).Select(s =>
                    new MetricReading(i.Service, s.Instance, i.Name, i.Unit, s.Attributes, s.Points.Last().TimeMs, s.Points.Last().Value)))
                .ToList();
        }
    }

    private static string SeriesKey(MetricSample sample) =>
        sample.Source.Instance + "|" + string.Join(",", sample.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value));

    private readonly record struct Point(double TimeMs, double Value);

    private sealed class Instrument(MetricSample first)
    {
        public string Service { get; } = first.Source.Service;
        public string Scope { get; } = first.Source.Scope;
        public string Name { get; } = first.Name;
        public string Description { get; } = first.Description;
        public string Unit { get; } = first.Unit;
        public string Type { get; } = first.Type;
        public Dictionary<string, SeriesPoints> Series { get; } = new(StringComparer.Ordinal);
    }

    private sealed class SeriesPoints(string? instance, IReadOnlyDictionary<string, string> attributes)
    {
        private double? _lastCount;
        private double? _lastSum;

        public string? Instance { get; } = instance;
        public IReadOnlyDictionary<string, string> Attributes { get; } = attributes;
        public Queue<Point> Points { get; } = new();

        public void Add(MetricSample sample, int capacity)
        {
            double value;
            if (sample.Value is { } number)
            {
                value = number;
            }
            else
            {
                // Histograms: the mean of the values recorded since the previous (cumulative) point.
                var (count, sum) = (sample.Count ?? 0, sample.Sum ?? 0);
                var intervalCount = _lastCount is { } lastCount && count >= lastCount ? count - lastCount : count;
                var intervalSum = _lastSum is { } lastSum && count >= _lastCount ? sum - lastSum : sum;
                (_lastCount, _lastSum) = (count, sum);
                value = intervalCount > 0 ? intervalSum / intervalCount : 0;
            }
            if (Points.Count > 0 && Points.Last().TimeMs >= sample.TimeMs) return; // a repeat or out of order
            Points.Enqueue(new Point(sample.TimeMs, value));
            while (Points.Count > capacity) Points.Dequeue();
        }
    }
}
