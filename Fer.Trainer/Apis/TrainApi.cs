using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Fer.ServiceDefaults.Security;
using Fer.Trainer.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fer.Trainer.Apis;

/// <summary>Training jobs: start one, watch it (snapshot or server-sent events), cancel it, list the recent ones.</summary>
public static class TrainApi
{
    public const int DefaultListCount = 20;
    public const int MaxListCount = 200;

    public static IEndpointRouteBuilder MapTrainApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/train").WithTags("Training"));
        api.MapPost("/", StartJob).WithName("StartTrainingJob")
            .WithSummary("Start a training job (JSON options, every field optional); 409 while another job runs")
            .Accepts<TrainJobOptions>("application/json").RequireAdminKey();
        api.MapGet("/", ListJobs).WithName("ListTrainingJobs").WithSummary("The most recent training jobs, newest first");
        api.MapGet("/events", FollowJobs).WithName("FollowTrainingJobs")
            .WithSummary("Server-sent events of every job, one after the other: the newest job's state, then each job's progress as it runs");
        api.MapGet("/{id}", GetJob).WithName("GetTrainingJob").WithSummary("A job's state, phase, epoch, latest metrics and timings");
        api.MapGet("/{id}/events", StreamEvents).WithName("StreamTrainingJobEvents")
            .WithSummary("Server-sent events with the job's live progress; the stream ends when the job ends");
        api.MapPost("/{id}/cancel", CancelJob).WithName("CancelTrainingJob").WithSummary("Cancel a queued or running job").RequireAdminKey();
        return app;
    }

    public static async Task<Results<Accepted<TrainJobCreated>, ValidationProblem, ProblemHttpResult>> StartJob(
        HttpRequest request, TrainRequestParser parser, TrainJobManager jobs, CancellationToken cancellationToken)
    {
        var (options, errors) = await parser.ParseAsync(request.Body, cancellationToken);
        if (options is null)
            return TypedResults.ValidationProblem(errors, title: "Invalid training options",
                detail: string.Join(" ", errors.Values.SelectMany(messages => messages)));

        var start = await jobs.StartAsync(options);
        if (start.Conflict)
        {
            return TypedResults.Problem(
                title: "A training job is already running",
                detail: $"training job {start.Job.Id} is {start.Job.State.Name()}; one job runs at a time (cancel it with POST /train/{start.Job.Id}/cancel)",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["id"] = start.Job.Id, ["state"] = start.Job.State.Name() });
        }
        return TypedResults.Accepted($"/train/{start.Job.Id}", new TrainJobCreated(start.Job.Id, start.Job.State));
    }

    public static async Task<Ok<TrainJobList>> ListJobs(TrainJobManager jobs, [FromQuery] int? count)
    {
        var take = Math.Clamp(count ?? DefaultListCount, 1, MaxListCount);
        return TypedResults.Ok(new TrainJobList((await jobs.ListAsync(take)).Select(job => job.Public()).ToList()));
    }

    public static async Task<Results<Ok<TrainJob>, ProblemHttpResult>> GetJob(string id, TrainJobManager jobs) =>
        await jobs.GetAsync(id) is { } job ? TypedResults.Ok(job.Public()) : NotFound(id);

    public static async Task<Results<ServerSentEventsResult<TrainJob>, ProblemHttpResult>> StreamEvents(
        string id, TrainJobManager jobs, CancellationToken cancellationToken)
    {
        if (jobs.Events(id) is { } stream)
            return TypedResults.ServerSentEvents(Public(stream.ReadAllAsync(cancellationToken)));
        // A job this trainer does not run (finished earlier, or before a restart): its final state, then the end.
        return await jobs.GetAsync(id) is { } job
            ? TypedResults.ServerSentEvents(Once(job.Public(), cancellationToken))
            : NotFound(id);
    }

    /// <summary>The stream ends when the client goes or the trainer stops (it would otherwise hold the shutdown up
    /// until the host's timeout, as the server waits for open requests).</summary>
    public static ServerSentEventsResult<TrainJob> FollowJobs(TrainJobManager jobs, IHostApplicationLifetime lifetime, HttpContext context)
    {
        var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(ending);
        return TypedResults.ServerSentEvents(Public(UntilCancelled(jobs.FollowAllAsync(ending.Token))));
    }

    public static async Task<Results<Accepted<TrainJob>, ProblemHttpResult>> CancelJob(string id, TrainJobManager jobs)
    {
        var (outcome, job) = await jobs.CancelAsync(id, "cancelled by request");
        return outcome switch
        {
            TrainJobCancelOutcome.Requested => TypedResults.Accepted($"/train/{id}", job!.Public()),
            TrainJobCancelOutcome.NotFound => NotFound(id),
            _ => TypedResults.Problem(
                title: "The training job is not running",
                detail: $"training job {id} is {job!.State.Name()}: there is nothing to cancel",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["id"] = id, ["state"] = job.State.Name() }),
        };
    }

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        title: "Training job not found",
        detail: $"there is no training job '{id}' (GET /train lists the recent ones)",
        statusCode: StatusCodes.Status404NotFound);

    private static async IAsyncEnumerable<SseItem<TrainJob>> Public(IAsyncEnumerable<SseItem<TrainJob>> items)
    {
        await foreach (var item in items)
            yield return new SseItem<TrainJob>(item.Data.Public(), item.EventType) { EventId = item.EventId, ReconnectionInterval = item.ReconnectionInterval };
    }

    private static async IAsyncEnumerable<T> UntilCancelled<T>(IAsyncEnumerable<T> items)
    {
        await using var item = items.GetAsyncEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = await item.MoveNextAsync();
            }
            catch (OperationCanceledException)
            {
                more = false;
            }
            if (!more) yield break;
            yield return item.Current;
        }
    }

    private static async IAsyncEnumerable<SseItem<TrainJob>> Once(TrainJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield return new SseItem<TrainJob>(job, TrainJobEventStream.StateEvent);
    }
}
