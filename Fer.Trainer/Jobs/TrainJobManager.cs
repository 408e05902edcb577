using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Fer.Trainer.Jobs;

/// <summary>
/// The trainer's one job slot (one model on the device at a time): starts jobs, answers for the running one from
/// memory and for the rest from <see cref="TrainJobStore"/>, cancels, and interrupts the running job at shutdown.
/// </summary>
public sealed class TrainJobManager(TrainJobServices services)
{
    public const string InterruptedReason = "interrupted: the trainer stopped while the job was running";

    private readonly Lock gate = new();
    private TrainJobExecution? current;
    private JobLink latest = new(null, new TaskCompletionSource<JobLink>(TaskCreationOptions.RunContinuationsAsynchronously));

    public string Instance => services.Instance;

    /// <summary>Queues a job and starts it, unless a job holds the slot: then that job comes back as a conflict.</summary>
    public async Task<TrainJobStart> StartAsync(TrainJobOptions options)
    {
        TrainJobExecution execution;
        lock (gate)
        {
            if (current is { } active && !active.Snapshot.State.IsFinal())
                return new TrainJobStart(active.Snapshot, Conflict: true);
            var now = services.Time.GetUtcNow();
            var job = new TrainJob
            {
                Id = NewId(now),
                State = TrainJobState.Queued,
                Options = options,
                Timings = new TrainJobTimings { CreatedAt = now, UpdatedAt = now },
            };
            execution = current = new TrainJobExecution(job, services, Activity.Current?.Context ?? default);
        }

        try
        {
            await services.Store.SaveAsync(execution.Snapshot, services.Instance);
        }
        catch
        {
            lock (gate)
            {
                if (current == execution) current = null;
            }
            throw;
        }
        services.Logger.Queued(execution.Id, options);
        execution.Start();
        Announce(execution);
        return new TrainJobStart(execution.Snapshot, Conflict: false);
    }

    public async Task<TrainJob?> GetAsync(string id) =>
        Current(id)?.Snapshot ?? await services.Store.GetAsync(id);

    /// <summary>The most recent jobs, newest first; the running job as it is now.</summary>
    public async Task<IReadOnlyList<TrainJob>> ListAsync(int count)
    {
        var stored = await services.Store.ListRecentAsync(count);
        var live = Current(null)?.Snapshot;
        if (live is null) return stored;
        var jobs = stored.Select(job => job.Id == live.Id ? live : job).ToList();
        if (jobs.All(job => job.Id != live.Id)) jobs.Insert(0, live);
        return jobs.Take(count).ToList();
    }

    /// <summary>The live event stream of the job this trainer runs (or ran last), or null.</summary>
    public TrainJobEventStream? Events(string id) => Current(id)?.Events;

    /// <summary>
    /// Every job's events, one job after the other, for as long as the reader stays: the job this trainer runs (or
    /// ran last: its final state), else the newest stored job's state; then each job it starts, from its queued state
    /// to its final one. A watcher follows training with it instead of polling.
    /// </summary>
    public async IAsyncEnumerable<SseItem<TrainJob>> FollowAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobLink link;
        lock (gate) link = latest;
        if (link.Job is null && (await services.Store.ListRecentAsync(1)).FirstOrDefault() is { } stored)
            yield return new SseItem<TrainJob>(stored, TrainJobEventStream.StateEvent);
        while (true)
        {
            if (link.Job is { } job)
            {
                await foreach (var item in job.Events.ReadAllAsync(cancellationToken))
                    yield return item;
            }
            link = await link.Next.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<(TrainJobCancelOutcome Outcome, TrainJob? Job)> CancelAsync(string id, string reason)
    {
        if (Current(id) is { } execution)
        {
            var requested = execution.Cancel(reason);
            if (requested) services.Logger.CancelRequested(id, reason);
            return (requested ? TrainJobCancelOutcome.Requested : TrainJobCancelOutcome.NotRunning, execution.Snapshot);
        }
        var stored = await services.Store.GetAsync(id);
        return (stored is null ? TrainJobCancelOutcome.NotFound : TrainJobCancelOutcome.NotRunning, stored);
    }

    /// <summary>At shutdown: the running job ends as failed (interrupted), and is saved so.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var execution = Current(null);
        if (execution is null) return;
        execution.Cancel(InterruptedReason, interruption: true);
        try
        {
            await execution.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out; the next start marks the job interrupted.
        }
    }

    /// <summary>Makes a started job the newest link of the chain <see cref="FollowAllAsync"/> readers walk.</summary>
    private void Announce(TrainJobExecution execution)
    {
        JobLink previous;
        lock (gate)
        {
            previous = latest;
            latest = new JobLink(execution, new TaskCompletionSource<JobLink>(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        previous.Next.TrySetResult(latest);
    }

    private TrainJobExecution? Current(string? id)
    {
        lock (gate) return current is not null && (id is null || current.Id == id) ? current : null;
    }

    private static string NewId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x1000000):x6}");

    /// <summary>A started job and the promise of the one after it.</summary>
    private sealed record JobLink(TrainJobExecution? Job, TaskCompletionSource<JobLink> Next);
}
