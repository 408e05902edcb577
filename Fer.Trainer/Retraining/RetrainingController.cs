using System.Globalization;
using Fer.Trainer.Jobs;
using Microsoft.Extensions.Options;

namespace Fer.Trainer.Retraining;

/// <summary>
/// Looks at the retraining policy every <see cref="RetrainingOptions.CheckInterval"/> and starts a training run when a
/// trigger holds (enough new labels, the schedule, a held drift alarm), outside the cool-down and while no job runs;
/// every change of decision is recorded with its reason. Like the rollout controller it keeps nothing in memory: the
/// last run it started is in Redis, claimed by a conditional write, so a restarted or a second trainer decides the same
/// and two never both start a run.
/// </summary>
public sealed partial class RetrainingController(
    RetrainingStore store,
    RetrainingTrainingSettings settings,
    TrainJobManager jobs,
    IDriftAlarms drift,
    IOptions<RetrainingOptions> options,
    TimeProvider time,
    ILogger<RetrainingController> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await DecideOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or TaskCanceledException)
                {
                    LogUnreachable(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at the policy: the decision (recorded when it changed), or null when the policy is off or
    /// another trainer fired first.</summary>
    public async Task<RetrainingDecision?> DecideOnceAsync(CancellationToken cancellationToken)
    {
        var policy = await store.GetPolicyAsync();
        if (!policy.Enabled) return null;
        var now = time.GetUtcNow();
        var (stored, last) = await store.GetStateAsync();
        var newLabels = await store.CountLabelsSinceAsync(last?.LastTriggerAt);

        var triggers = new List<string>();
        if (policy.NewLabels is { } needed && newLabels >= needed)
            triggers.Add($"{newLabels} new labels (threshold {needed})");
        var scheduledAt = policy.Interval is { } interval ? (last?.LastTriggerAt ?? policy.UpdatedAt ?? now) + interval : (DateTimeOffset?)null;
        if (scheduledAt <= now) triggers.Add($"schedule: every {policy.Interval}");
        if (policy.DriftHold is { } hold && await drift.HeldAlarmAsync(hold, cancellationToken) is { } alarm) triggers.Add($"drift alarm: {alarm}");

        if (triggers.Count == 0)
        {
            var waiting = policy.NewLabels is { } n
                ? new RetrainingDecision(RetrainingDecisionKind.TooFewLabels, $"too few labels: {newLabels} new since the last run, {n} needed", newLabels, null, now)
                : new RetrainingDecision(RetrainingDecisionKind.NotDue, "not due", newLabels, null, now);
            return await RecordAsync(scheduledAt is { } next ? waiting with { Reason = $"{waiting.Reason}; next scheduled run at {Stamp(next)}" } : waiting);
        }
        var why = string.Join("; ", triggers);
        if (last is not null && now - last.LastTriggerAt < policy.CoolDown)
            return await RecordAsync(new RetrainingDecision(RetrainingDecisionKind.CoolingDown,
                $"cooling down until {Stamp(last.LastTriggerAt + policy.CoolDown)} (last run {last.LastJobId} at {Stamp(last.LastTriggerAt)}); waiting: {why}", newLabels, null, now));
        if ((await jobs.ListAsync(1)).FirstOrDefault() is { } running && !running.State.IsFinal())
            return await RecordAsync(JobRuns(running, why, newLabels, now));

        var (run, errors) = await settings.ResolveAsync(policy.Training, cancellationToken);
        if (run is null)
            return await RecordAsync(new RetrainingDecision(RetrainingDecisionKind.Refused,
                $"the policy's training settings are refused: {string.Join(" ", errors.Values.SelectMany(m => m))}", newLabels, null, now));

        // Claim the trigger first: only the trainer whose conditional write lands starts the run.
        var claim = new RetrainingState(now, null, await store.CountLabelsAsync());
        if (!await store.TryReplaceStateAsync(stored, claim)) return null;
        var start = await jobs.StartAsync(run);
        if (start.Conflict)
        {
            await store.TryReplaceStateAsync(RetrainingStore.Serialize(claim), last); // a job started meanwhile: the trigger stands
            return await RecordAsync(JobRuns(start.Job, why, newLabels, now));
        }
        await store.TryReplaceStateAsync(RetrainingStore.Serialize(claim), claim with { LastJobId = start.Job.Id });
        LogFired(logger, start.Job.Id, why);
        return await RecordAsync(new RetrainingDecision(RetrainingDecisionKind.Fired, why, newLabels, start.Job.Id, now));
    }

    private async Task<RetrainingDecision> RecordAsync(RetrainingDecision decision)
    {
        if (await store.RecordAsync(decision) && !decision.Fired) LogSkipped(logger, decision.Reason);
        return decision;
    }

    private static RetrainingDecision JobRuns(TrainJob job, string why, int newLabels, DateTimeOffset now) =>
        new(RetrainingDecisionKind.JobRunning, $"a job runs: {job.Id} is {job.State.Name()}; waiting: {why}", newLabels, null, now);

    private static string Stamp(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining policy started training job {JobId} ({Reason})")]
    private static partial void LogFired(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining policy skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retraining policy cannot be checked now: the registry is not reachable ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
