using Fer.AppHost.Supervision;
using Fer.AppHost.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Fer.AppHost.Dashboard;

/// <summary>The dashboard's JSON API: resources and their consoles, traces, structured logs, metrics, host gauges.</summary>
public static class DashboardApi
{
    private static readonly string[] HostInstruments =
        ["process.cpu.utilization", "process.memory.usage", "system.memory.usage", "system.memory.limit"];

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Dashboard");
        api.MapGet("/resources", GetResources).WithName("Resources").WithSummary("Every resource with its replicas");
        api.MapGet("/resources/{replica}/console", GetConsole).WithName("Console").WithSummary("A replica's console lines after a sequence number");
        api.MapPost("/resources/{replica}/restart", Restart).WithName("Restart").WithSummary("Restart one replica (or every replica of a resource)");
        api.MapGet("/traces", GetTraces).WithName("Traces").WithSummary("Newest traces, filtered by service, span name, errors");
        api.MapGet("/traces/{traceId}", GetTrace).WithName("Trace").WithSummary("The spans of one trace");
        api.MapGet("/logs", GetLogs).WithName("Logs").WithSummary("Structured logs, filtered by service, level, trace, text");
        api.MapGet("/metrics", GetInstruments).WithName("Instruments").WithSummary("Every instrument of every service");
        api.MapGet("/metrics/{service}/{name}", GetSeries).WithName("Series").WithSummary("The time series of one instrument");
        api.MapGet("/host", GetHost).WithName("Host").WithSummary("Latest CPU, memory and GPU gauges per replica");
        return app;
    }

    private static Ok<SystemView> GetResources([FromServices] AppModel model)
    {
        var resources = model.Resources.Select(resource => new ResourceView(resource.Name, resource.Resource.Kind, resource.Note,
            resource.IsHealthy, [.. resource.Resource.References.Select(r => r.Name)], [.. resource.Resource.WaitsFor.Select(r => r.Name)],
            [.. resource.Replicas.Select(replica => replica.Snapshot())])).ToList();
        var pid = Environment.ProcessId;
        var own = ProcessMemory.ResidentBytes(pid);
        var total = (own ?? 0) + resources.SelectMany(r => r.Replicas).Where(r => r.Pid is { } p && p != pid).Sum(r => r.MemoryBytes ?? 0);
        return TypedResults.Ok(new SystemView(pid, own, total, model.AllHealthyAfterSeconds, resources.All(r => r.Healthy), resources));
    }

    private static Results<Ok<IReadOnlyList<ConsoleLine>>, ProblemHttpResult> GetConsole([FromServices] AppModel model, string replica, long after = 0, int limit = 1000)
    {
        var found = model.FindReplica(replica);
        return found is null
            ? NoReplica(replica)
            : TypedResults.Ok(found.Console.Read(after, Math.Clamp(limit, 1, 10_000)));
    }

    private static Results<Accepted, ProblemHttpResult> Restart([FromServices] AppModel model, string replica)
    {
        var targets = model.FindReplica(replica) is { } one ? [one] : model.Find(replica)?.Replicas ?? [];
        if (targets.Count == 0) return NoReplica(replica);
        // Restart in the background: the caller sees the state change through /api/resources.
        foreach (var target in targets) _ = Task.Run(() => target.RestartAsync(CancellationToken.None));
        return TypedResults.Accepted("/api/resources");
    }

    private static Ok<IReadOnlyList<TraceSummary>> GetTraces(TraceStore traces, string? service = null, string? q = null, bool errors = false, int limit = 200) =>
        TypedResults.Ok(traces.List(Blank(service), Blank(q), errors, Math.Clamp(limit, 1, 5000)));

    private static Results<Ok<IReadOnlyList<SpanRecord>>, ProblemHttpResult> GetTrace(TraceStore traces, string traceId) =>
        traces.Get(traceId) is { } spans
            ? TypedResults.Ok(spans)
            : TypedResults.Problem(title: "Trace not found", detail: $"no trace '{traceId}' (never received, or evicted: the store holds the newest only)", statusCode: 404);

    private static Results<Ok<IReadOnlyList<LogEntry>>, ProblemHttpResult> GetLogs(LogStore logs, string? service = null,
        string? level = null, string? traceId = null, string? q = null, long after = 0, int limit = 500)
    {
        int minSeverity;
        try
        {
            minSeverity = Blank(level) is { } name ? LogEntry.SeverityOf(name) : 0;
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(title: "Bad level", detail: e.Message, statusCode: 400);
        }
        return TypedResults.Ok(logs.Query(new LogQuery(Blank(service), minSeverity, Blank(traceId), Blank(q), after, Math.Clamp(limit, 1, 10_000))));
    }

    private static Ok<IReadOnlyList<InstrumentInfo>> GetInstruments(MetricStore metrics) => TypedResults.Ok(metrics.Instruments());

    private static Results<Ok<IReadOnlyList<MetricSeries>>, ProblemHttpResult> GetSeries(MetricStore metrics, string service, string name) =>
        metrics.Series(service, name) is { } series
            ? TypedResults.Ok(series)
            : TypedResults.Problem(title: "Instrument not found", detail: $"service '{service}' has sent no instrument '{name}'", statusCode: 404);

    private static Ok<IReadOnlyList<MetricReading>> GetHost(MetricStore metrics) =>
        TypedResults.Ok(metrics.Latest(name => HostInstruments.Contains(name) || name.StartsWith("hw.", StringComparison.Ordinal)));

    private static ProblemHttpResult NoReplica(string name) =>
        TypedResults.Problem(title: "Not found", detail: $"no resource or replica named '{name}' (see /api/resources)", statusCode: 404);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
