using System.Diagnostics;
using System.Text.Json;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Registry.Rollouts;

/// <summary>
/// The rollout record beside the production pointer (key layout: README.md): start one, move it a step, end it by
/// promotion, rollback or abort. Every change is one transaction conditioned on the record being exactly what the
/// caller read, so two deciders (two trainers, a trainer and a person) can never both act on the same state; each is
/// logged with its reason and announced on the registry's channel, as promotions are.
/// </summary>
public sealed class RolloutRegistry(ModelRegistry registry, IConnectionMultiplexer redis, IOptions<RegistryOptions> options, TimeProvider time)
{
    private RegistryKeys Keys => registry.Keys;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The rollout in progress, or null.</summary>
    public async Task<Rollout?> GetAsync() => Deserialize<Rollout>(await Db.StringGetAsync(Keys.Rollout));

    /// <summary>The latest decisions, newest first.</summary>
    public async Task<IReadOnlyList<RolloutDecision>> GetDecisionsAsync(int count = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var values = await Db.ListRangeAsync(Keys.RolloutDecisions, 0, count - 1);
        return [.. values.Select(value => Deserialize<RolloutDecision>(value)).OfType<RolloutDecision>()];
    }

    /// <summary>Stores one replica's evidence for a rollout step (replacing its last report); kept for
    /// <paramref name="keepFor"/> after the last report of any replica.</summary>
    public async Task ReportEvidenceAsync(string rolloutId, int step, string replica, IReadOnlyList<VersionEvidence> evidence, TimeSpan keepFor)
    {
        var key = Keys.RolloutEvidence(rolloutId, step);
        var batch = Db.CreateBatch();
        var set = batch.HashSetAsync(key, replica, JsonSerializer.Serialize(evidence.ToList(), RegistryJsonContext.Default.ListVersionEvidence));
        var expire = batch.KeyExpireAsync(key, keepFor);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    /// <summary>Every replica's evidence for a rollout step, added up per version.</summary>
    public async Task<IReadOnlyDictionary<string, VersionEvidence>> ReadEvidenceAsync(string rolloutId, int step)
    {
        var merged = new Dictionary<string, VersionEvidence>();
        foreach (var entry in await Db.HashGetAllAsync(Keys.RolloutEvidence(rolloutId, step)))
        {
            List<VersionEvidence>? reported;
            try
            {
                reported = JsonSerializer.Deserialize(entry.Value.ToString(), RegistryJsonContext.Default.ListVersionEvidence);
            }
            catch (JsonException)
            {
                continue; // one replica's damaged report does not hide the others'
            }
            foreach (var version in reported ?? [])
                merged[version.Version] = merged.TryGetValue(version.Version, out var sum) ? sum.Plus(version) : version;
        }
        return merged;
    }

    /// <summary>Puts <paramref name="candidate"/> in rollout beside production, at the first of <paramref name="steps"/>.
    /// The candidate passes the checks a promotion makes (every chunk read, the SHA-256 held) before anything changes.</summary>
    /// <exception cref="ModelVersionNotFoundException">No such complete version.</exception>
    /// <exception cref="ModelPromotionRefusedException">The version is damaged or incomplete.</exception>
    /// <exception cref="RolloutConflictException">Another rollout runs, there is no production, or it is production.</exception>
    public async Task<Rollout> StartAsync(string candidate, IReadOnlyList<RolloutStep>? steps = null, RolloutGates? gates = null,
        string? reason = null, string? traceId = null, CancellationToken cancellationToken = default)
    {
        if (!VersionIds.IsValid(candidate)) throw new ModelVersionNotFoundException(candidate);
        steps ??= Rollout.DefaultSteps;
        if (steps.Count == 0 || steps.Any(s => s.Share is <= 0 or > 1 || s.MinRequests < 0 || s.MaxDuration <= TimeSpan.Zero))
            throw new ArgumentException("a rollout needs at least one step, each with a share in (0, 1], a non-negative request count and a positive duration", nameof(steps));
        var production = await registry.GetProductionVersionAsync()
            ?? throw new RolloutConflictException($"model version '{candidate}' cannot go into rollout: there is no production version to compare it with; promote one first", candidate);
        if (production == candidate) throw new RolloutConflictException($"model version '{candidate}' is production already", candidate);
        try
        {
            await registry.VerifyAsync(candidate, cancellationToken);
        }
        catch (ModelIntegrityException e)
        {
            throw new ModelPromotionRefusedException(candidate, e);
        }

        var now = time.GetUtcNow();
        var rollout = new Rollout($"{candidate}@{now.ToUnixTimeMilliseconds()}", candidate, production, steps, 0, gates ?? RolloutGates.Default, now, now, reason);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(Keys.Rollout));
        transaction.AddCondition(Condition.StringEqual(Keys.Production, production));
        transaction.AddCondition(Condition.HashExists(Keys.Metadata(candidate), MetadataHash.Sha256));
        _ = transaction.StringSetAsync(Keys.Rollout, Serialize(rollout));
        var decision = Decision(rollout, RolloutDecisionKind.Started, reason ?? "started", null, traceId);
        RecordDecision(transaction, decision);
        if (!await transaction.ExecuteAsync())
        {
            if (await GetAsync() is { } running)
                throw new RolloutConflictException($"model version '{running.Candidate}' is in rollout already; abort it before starting another", candidate);
            throw new RolloutConflictException($"production or model version '{candidate}' changed while the rollout was starting; try again", candidate);
        }
        await registry.AnnounceAsync(Change(ProductionChangeKind.RolloutStarted, rollout, decision.Reason), "rollout_started");
        return rollout;
    }

    /// <summary>Moves <paramref name="current"/> to its next step; returns the rollout as it now stands and the decision logged.</summary>
    /// <exception cref="RolloutConflictException">The rollout changed or ended since it was read.</exception>
    public async Task<(Rollout Next, RolloutDecision Decision)> AdvanceAsync(Rollout current, string reason, string? evidence = null, string? traceId = null)
    {
        if (current.IsLastStep) throw new ArgumentException("the rollout is at its last step: promote it instead", nameof(current));
        var next = current with { Step = current.Step + 1, StepStartedAt = time.GetUtcNow() };
        var decision = Decision(next, RolloutDecisionKind.Advanced, reason, evidence, traceId);
        await ReplaceAsync(current, next, decision);
        await registry.AnnounceAsync(Change(ProductionChangeKind.RolloutChanged, next, reason), "rollout_changed");
        return (next, decision);
    }

    /// <summary>Makes the candidate production (with the promotion's own checks) and ends the rollout.</summary>
    public async Task<RolloutDecision> PromoteAsync(Rollout current, string reason, string? evidence = null, string? traceId = null)
    {
        await registry.PromoteAsync(current.Candidate, $"rollout: {reason}");
        return await EndAsync(current, RolloutDecisionKind.Promoted, reason, evidence, traceId);
    }

    /// <summary>Ends the rollout with production unchanged: the candidate failed a gate.</summary>
    public Task<RolloutDecision> RollBackAsync(Rollout current, string reason, string? evidence = null, string? traceId = null) =>
        EndAsync(current, RolloutDecisionKind.RolledBack, reason, evidence, traceId);

    /// <summary>Ends whatever rollout runs, production unchanged: a person said stop.</summary>
    /// <exception cref="RolloutConflictException">No rollout runs.</exception>
    public async Task<RolloutDecision> AbortAsync(string? reason = null, string? traceId = null)
    {
        var current = await GetAsync() ?? throw new RolloutConflictException("no rollout is in progress");
        return await EndAsync(current, RolloutDecisionKind.Aborted, reason ?? "aborted", null, traceId);
    }

    private async Task<RolloutDecision> EndAsync(Rollout current, RolloutDecisionKind kind, string reason, string? evidence, string? traceId)
    {
        var decision = Decision(current, kind, reason, evidence, traceId);
        await ReplaceAsync(current, null, decision);
        await registry.AnnounceAsync(Change(ProductionChangeKind.RolloutEnded, current, $"{Name(kind)}: {reason}"), "rollout_ended");
        return decision;
    }

    /// <summary>Replaces the record (or deletes it, for null) if it still is <paramref name="expected"/>, and logs the decision.</summary>
    private async Task ReplaceAsync(Rollout expected, Rollout? next, RolloutDecision decision)
    {
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(Keys.Rollout, Serialize(expected)));
        _ = next is null ? transaction.KeyDeleteAsync(Keys.Rollout) : transaction.StringSetAsync(Keys.Rollout, Serialize(next));
        RecordDecision(transaction, decision);
        if (!await transaction.ExecuteAsync())
            throw new RolloutConflictException($"the rollout of model version '{expected.Candidate}' changed or ended meanwhile; nothing was done", expected.Candidate);
    }

    private void RecordDecision(ITransaction transaction, RolloutDecision decision)
    {
        _ = transaction.ListLeftPushAsync(Keys.RolloutDecisions, JsonSerializer.Serialize(decision, RegistryJsonContext.Default.RolloutDecision));
        _ = transaction.ListTrimAsync(Keys.RolloutDecisions, 0, options.Value.HistoryLimit * 10 - 1);
    }

    private RolloutDecision Decision(Rollout rollout, RolloutDecisionKind kind, string reason, string? evidence, string? traceId) =>
        new(rollout.Id, rollout.Candidate, kind, rollout.Mode, rollout.Share, reason, evidence, traceId ?? Activity.Current?.TraceId.ToString(), time.GetUtcNow());

    private ProductionChange Change(ProductionChangeKind kind, Rollout rollout, string? reason) =>
        new(kind, rollout.Candidate, rollout.Baseline, reason, time.GetUtcNow());

    private static string Name(RolloutDecisionKind kind) => kind switch
    {
        RolloutDecisionKind.Promoted => "promoted",
        RolloutDecisionKind.RolledBack => "rolled back",
        _ => "aborted",
    };

    private static string Serialize(Rollout rollout) => JsonSerializer.Serialize(rollout, RegistryJsonContext.Default.Rollout);

    private static T? Deserialize<T>(RedisValue value) where T : class
    {
        if (value.IsNullOrEmpty) return null;
        try
        {
            return (T?)JsonSerializer.Deserialize(value.ToString(), typeof(T), RegistryJsonContext.Default);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
