using Fer.AppHost.Telemetry;

namespace Fer.Tests.Dashboard;

public sealed class TelemetryStoreTests
{
    private static readonly Dictionary<string, string> NoAttributes = [];

    [Fact]
    public void TraceStore_KeepsTheNewestTraces_WhenFull()
    {
        var store = new TraceStore(new TelemetryLimits { MaxTraces = 3 });

        for (var i = 1; i <= 5; i++) store.Add([Span($"{i:x32}", "0000000000000001", startMs: i)]);

        Assert.Equal(3, store.Count);
        Assert.Null(store.Get($"{1:x32}"));
        Assert.Equal([$"{5:x32}", $"{4:x32}", $"{3:x32}"], store.List(null, null, false, 10).Select(t => t.TraceId));
    }

    [Fact]
    public void TraceStore_SummarizesATrace_FromItsRootSpan()
    {
        var store = new TraceStore(new TelemetryLimits());
        var trace = $"{7:x32}";
        store.Add([
            Span(trace, "0000000000000002", startMs: 10, endMs: 30, parent: "0000000000000001", service: "inference", status: "Error"),
            Span(trace, "0000000000000001", startMs: 5, endMs: 40, service: "gateway", name: "POST /predict"),
        ]);

        var summary = Assert.Single(store.List("inference", null, errorsOnly: true, 10));

        Assert.Equal("POST /predict", summary.Name);
        Assert.Equal("gateway", summary.Service);
        Assert.Equal(35, summary.DurationMs);
        Assert.Equal((2, 1), (summary.SpanCount, summary.ErrorCount));
        Assert.Equal(["0000000000000001", "0000000000000002"], store.Get(trace.ToUpperInvariant())!.Select(s => s.SpanId));
    }

    [Fact]
    public void LogStore_KeepsTheNewest_AndFiltersBySeverityAndService()
    {
        var store = new LogStore(new TelemetryLimits { MaxLogs = 4 });

        store.Add(Enumerable.Range(1, 10).Select(i => Log($"message {i}", severity: i % 2 == 0 ? 17 : 9, service: i <= 8 ? "trainer" : "gateway")));

        Assert.Equal(10, store.LastSequence);
        Assert.Equal(["message 7", "message 8", "message 9", "message 10"], store.Query(new LogQuery()).Select(l => l.Body));
        Assert.Equal(["message 8", "message 10"], store.Query(new LogQuery(MinSeverity: 17)).Select(l => l.Body));
        Assert.Equal(["message 9", "message 10"], store.Query(new LogQuery(Service: "gateway")).Select(l => l.Body));
        Assert.Equal(["message 10"], store.Query(new LogQuery(After: 9)).Select(l => l.Body));
    }

    [Fact]
    public void MetricStore_BoundsPointsPerSeries_AndChartsHistogramsAsIntervalMeans()
    {
        var store = new MetricStore(new TelemetryLimits { MaxPointsPerSeries = 3 });
        var source = new TelemetrySource("gateway", "gateway-0", "Microsoft.AspNetCore.Hosting");

        for (var t = 1; t <= 5; t++)
            store.Add([new MetricSample(source, "cpu", "", "1", "gauge", NoAttributes, t * 1000, t / 10.0, null, null)]);
        // Cumulative histogram: 2 requests summing 0.4 s, then 2 more summing 0.2 s.
        store.Add([new MetricSample(source, "latency", "", "s", "histogram", NoAttributes, 1000, null, 2, 0.4)]);
        store.Add([new MetricSample(source, "latency", "", "s", "histogram", NoAttributes, 2000, null, 4, 0.6)]);

        var cpu = Assert.Single(store.Series("gateway", "cpu")!);
        Assert.Equal([3000.0, 4000, 5000], cpu.Points.Select(p => p[0]));
        var latency = Assert.Single(store.Series("gateway", "latency")!);
        Assert.Equal(0.2, latency.Points[0][1], 9);
        Assert.Equal(0.1, latency.Points[1][1], 9);
        Assert.Null(store.Series("trainer", "cpu"));
        Assert.Equal(0.5, Assert.Single(store.Latest(name => name == "cpu")).Value);
    }

    private static SpanRecord Span(string trace, string id, double startMs, double? endMs = null, string? parent = null,
        string service = "svc", string name = "span", string status = "Unset") =>
        new(trace, id, parent, name, "Server", startMs, endMs ?? startMs + 1, status, null, service, null, "scope", NoAttributes, [], []);

    private static LogEntry Log(string body, int severity, string service) =>
        new(0, 0, severity, LogEntry.LevelOf(severity), body, service, null, "category", null, null, null, NoAttributes);
}
