using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fer.Tests.Gateway;

/// <summary>
/// A loopback stand-in for the trainer's HTTP API in the page's browser tests (the documented routes: POST /train ->
/// 202 {id}, GET /train/{id}, GET /train/{id}/events as server-sent events, GET /models, promote, rollback). A "run"
/// reports a few epochs of falling loss, then publishes a version; it exercises the page, not training.
/// </summary>
internal sealed class TrainerStandIn
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new();
    private readonly List<string> _versions = ["v0001"];
    private readonly List<string> _productionHistory = ["v0001"];
    private readonly object _gate = new();

    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<JsonElement> StartRequests { get; } = [];

    /// <summary>Runs report their epochs and then wait here, so a test can look at a run in progress.</summary>
    public void Finish() => _finish.TrySetResult();

    public static async Task<(TrainerStandIn Trainer, StandInService Service)> StartAsync()
    {
        var trainer = new TrainerStandIn();
        var service = await StandInService.StartAsync("trainer", (app, _) =>
        {
            app.MapPost("/train", trainer.StartAsync);
            app.MapGet("/train", () => Results.Ok(trainer._jobs.Values.Select(j => new { id = j.Id, state = j.State })));
            app.MapGet("/train/{id}", (string id) => trainer._jobs.TryGetValue(id, out var job)
                ? Results.Ok(new { id, state = job.State, metrics = job.Metrics }) : Results.Problem(statusCode: 404, title: "Unknown job"));
            app.MapGet("/train/{id}/events", trainer.EventsAsync);
            app.MapGet("/models", trainer.Models);
            app.MapPost("/models/{version}/promote", (string version) => trainer.Promote(version));
            app.MapPost("/models/rollback", trainer.Rollback);
        });
        return (trainer, service);
    }

    private async Task<IResult> StartAsync(HttpRequest request)
    {
        var options = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        lock (_gate) StartRequests.Add(options);
        var id = $"job-{_jobs.Count + 1}";
        var epochs = options.TryGetProperty("epochs1", out var e1) ? e1.GetInt32() : 2;
        _jobs[id] = new Job(id, Math.Max(1, epochs) * 2);
        return Results.Accepted($"/train/{id}", new { id });
    }

    private async Task EventsAsync(string id, HttpContext context)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "text/event-stream";
        for (var step = 1; step <= job.Steps; step++)
        {
            await Task.Delay(150, context.RequestAborted);
            job.State = "running";
            var loss = 1.9 / step;
            await WriteEventAsync(context, "progress", new
            {
                state = "running", phase = step <= job.Steps / 2 ? 1 : 2, epoch = step, epochs = job.Steps, loss,
                valAccuracy = 0.3 + 0.05 * step, progress = (double)step / job.Steps,
            });
        }
        await _finish.Task.WaitAsync(context.RequestAborted);
        string version;
        lock (_gate)
        {
            version = $"v{_versions.Count + 1:0000}";
            _versions.Add(version);
        }
        job.Metrics = new Dictionary<string, double> { ["valAccuracy"] = 0.61, ["valMacroF1"] = 0.57 };
        job.State = "succeeded";
        await WriteEventAsync(context, "succeeded", new { state = "succeeded", version, metrics = job.Metrics });
    }

    private static async Task WriteEventAsync(HttpContext context, string name, object data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private IResult Models()
    {
        lock (_gate)
        {
            var production = _productionHistory[^1];
            return Results.Ok(_versions.AsEnumerable().Reverse().Select(v => new
            {
                version = v,
                createdAt = DateTimeOffset.UtcNow,
                isProduction = v == production,
                metrics = new { valMacroF1 = 0.5 + _versions.IndexOf(v) * 0.01, valAccuracy = 0.6 },
            }));
        }
    }

    private IResult Promote(string version)
    {
        lock (_gate)
        {
            if (!_versions.Contains(version)) return Results.Problem(statusCode: 404, title: "Unknown version", detail: $"There is no version {version}.");
            _productionHistory.Add(version);
            return Results.Ok(new { version });
        }
    }

    private IResult Rollback()
    {
        lock (_gate)
        {
            if (_productionHistory.Count < 2) return Results.Problem(statusCode: 409, title: "Nothing to roll back to", detail: "There is no earlier production version.");
            _productionHistory.RemoveAt(_productionHistory.Count - 1);
            return Results.Ok(new { version = _productionHistory[^1] });
        }
    }

    private sealed class Job(string id, int steps)
    {
        public string Id { get; } = id;
        public int Steps { get; } = steps;
        public string State { get; set; } = "queued";
        public Dictionary<string, double>? Metrics { get; set; }
    }
}
