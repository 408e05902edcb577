using Fer.Inference.Models;
using Fer.Registry.Rollouts;

namespace Fer.Inference.Rollouts;

/// <summary>While a rollout runs, reports this replica's evidence for its current step to the registry every
/// <see cref="Interval"/>, where the decider adds up every replica's. A report that cannot be written is skipped: the
/// next one carries the same counts and more. The registry is resolved at the first report: a replica serving a file
/// never has a rollout, and so never opens a Redis connection for this.</summary>
public sealed partial class EvidencePublisher(
    CandidateModel candidate,
    RolloutEvidence evidence,
    Monitoring.DriftReporter drift,
    IServiceProvider services,
    TimeProvider time,
    ILogger<EvidencePublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>How long a step's reports are kept after the last one (long enough for any decision on them).</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(6);

    /// <summary>This process among the replicas: its host, process id and a random part (a restarted replica is another).</summary>
    public string Replica { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync();
                await drift.ReportAsync(Replica);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task ReportAsync()
    {
        IReadOnlyList<VersionEvidence> snapshot;
        RolloutTarget target;
        if (candidate.Target is { } served)
        {
            target = served;
            snapshot = evidence.Snapshot(RolloutEvidence.StepOf(target));
        }
        else if (candidate.Refusal is { } refusal)
        {
            target = refusal.Target;
            snapshot = [VersionEvidence.Refusal(target.CandidateVersion, ModelHolder.CandidateRole, $"replica {Replica}: {refusal.Reason}")];
        }
        else
        {
            return;
        }
        try
        {
            await services.GetRequiredService<RolloutRegistry>().ReportEvidenceAsync(target.RolloutId, target.Step, Replica, snapshot, KeepFor);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or TaskCanceledException)
        {
            LogReportFailed(logger, target.CandidateVersion, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the rollout evidence of {Version} ({Error}); the next report carries it")]
    private static partial void LogReportFailed(ILogger logger, string version, string error);
}
