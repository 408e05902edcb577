using System.Diagnostics;
using System.Text.Json;
using Fer.Contracts;
using Fer.Registry;
using Fer.Registry.Rollouts;

namespace Fer.Trainer.Rollouts;

/// <summary>
/// Decides the rollout in progress every <see cref="Interval"/>: reads it and every replica's evidence for its step from
/// the registry, asks <see cref="RolloutGatekeeper"/>, and advances, promotes or rolls back, each decision recorded
/// with its reason, the evidence it read and its trace id. It holds no state of its own, so a restarted trainer (or a
/// second one) decides the same from Redis; the registry's conditional writes let only one act on a state.
/// </summary>
public sealed partial class RolloutController(
    RolloutRegistry rollouts,
    ModelRegistry registry,
    TimeProvider time,
    ILogger<RolloutController> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("Fer.Trainer.Rollout");

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await DecideOnceAsync();
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

    /// <summary>One look at the rollout: the decision taken, or null when it holds (or none runs).</summary>
    public async Task<RolloutDecision?> DecideOnceAsync()
    {
        if (await rollouts.GetAsync() is not { } rollout) return null;
        var production = await registry.GetProductionVersionAsync();
        var evidence = await rollouts.ReadEvidenceAsync(rollout.Id, rollout.Step);
        var decision = production == rollout.Baseline
            ? RolloutGatekeeper.Decide(rollout, evidence, await MacroF1Async(rollout.Candidate), await MacroF1Async(rollout.Baseline), time.GetUtcNow())
            : production == rollout.Candidate
                ? new GateDecision(GateVerdict.Promote, "the candidate is production already (a promotion finished before its rollout was closed)")
                : new GateDecision(GateVerdict.RollBack, $"production changed to {production ?? "none"} during the rollout");
        if (decision.Verdict == GateVerdict.Hold) return null;

        using var activity = ActivitySource.StartActivity("rollout decision");
        activity?.SetTag("fer.rollout.candidate", rollout.Candidate);
        activity?.SetTag("fer.rollout.verdict", decision.Verdict.ToString());
        var summary = Summarise(rollout, evidence);
        try
        {
            var taken = decision.Verdict switch
            {
                GateVerdict.Advance => (await rollouts.AdvanceAsync(rollout, decision.Reason, summary)).Decision,
                GateVerdict.Promote => await rollouts.PromoteAsync(rollout, decision.Reason, summary),
                _ => await rollouts.RollBackAsync(rollout, decision.Reason, summary),
            };
            LogDecided(logger, rollout.Candidate, taken.Kind.ToString(), decision.Reason);
            return taken;
        }
        catch (RolloutConflictException)
        {
            return null; // another decider (a person, another trainer) acted on this state first
        }
    }

    private async Task<double?> MacroF1Async(string version) =>
        await registry.TryGetMetadataAsync(version) is { } info ? ModelMetrics.TryParse(info.MetricsJson)?.ValMacroF1 : null;

    /// <summary>The evidence a decision read, as a JSON object: the candidate's and production's figures side by side.</summary>
    private static string Summarise(Rollout rollout, IReadOnlyDictionary<string, VersionEvidence> evidence) => JsonSerializer.Serialize(
        new Dictionary<string, object?>
        {
            ["candidate"] = evidence.TryGetValue(rollout.Candidate, out var c) ? EvidenceSummary.Of(c) : null,
            ["production"] = evidence.TryGetValue(rollout.Baseline, out var p) ? EvidenceSummary.Of(p) : null,
        }, JsonSerializerOptions.Web);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of {Version}: {Decision} ({Reason})")]
    private static partial void LogDecided(ILogger logger, string version, string decision, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rollout cannot be decided now: the registry is not reachable ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
