using System.Text.Json;
using System.Text.Json.Nodes;
using Fer.Registry;
using Fer.Registry.Feedback;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Trainer.Retraining;

/// <summary>
/// The retraining policy, the last run it started and its decisions, in the registry's Redis beside the feedback set
/// (keys <c>{prefix}:retraining:policy|state|decisions</c>). The state changes only by a transaction conditioned on
/// the value the caller read, so of two trainers that decide to fire at once only one starts a run.
/// </summary>
public sealed class RetrainingStore(ModelRegistry registry, FeedbackStore feedback, IConnectionMultiplexer redis, IOptions<RetrainingOptions> options)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private IDatabase Db => redis.GetDatabase();

    private RedisKey PolicyKey => $"{registry.Keys.Prefix}:retraining:policy";

    private RedisKey StateKey => $"{registry.Keys.Prefix}:retraining:state";

    private RedisKey DecisionsKey => $"{registry.Keys.Prefix}:retraining:decisions";

    /// <summary>The stored policy, or the default one (off) when none was set. A policy that does not name its drift hold
    /// (the default, or one saved before the policy had the field) takes the configured one.</summary>
    public async Task<RetrainingPolicy> GetPolicyAsync()
    {
        var stored = await Db.StringGetAsync(PolicyKey);
        var policy = Read<RetrainingPolicy>(stored);
        return policy is not null && NamesDriftHold(stored) ? policy
            : (policy ?? new RetrainingPolicy()) with { DriftHold = options.Value.DriftHold };
    }

    public Task SetPolicyAsync(RetrainingPolicy policy) => Db.StringSetAsync(PolicyKey, JsonSerializer.Serialize(policy, Json));

    /// <summary>The last run the policy started, with the stored value the state's next change is conditioned on.</summary>
    public async Task<(RedisValue Stored, RetrainingState? State)> GetStateAsync()
    {
        var stored = await Db.StringGetAsync(StateKey);
        return (stored, Read<RetrainingState>(stored));
    }

    /// <summary>Replaces the state if it still is <paramref name="expected"/> (absent when null); false when another
    /// trainer changed it first.</summary>
    public async Task<bool> TryReplaceStateAsync(RedisValue expected, RetrainingState? next)
    {
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(expected.IsNull ? Condition.KeyNotExists(StateKey) : Condition.StringEqual(StateKey, expected));
        _ = next is null ? transaction.KeyDeleteAsync(StateKey) : transaction.StringSetAsync(StateKey, Serialize(next));
        return await transaction.ExecuteAsync();
    }

    public static RedisValue Serialize(RetrainingState state) => JsonSerializer.Serialize(state, Json);

    /// <summary>Labels that arrived after <paramref name="since"/> (every label kept when null). A correction counts
    /// as new: it arrived again.</summary>
    public async Task<int> CountLabelsSinceAsync(DateTimeOffset? since) => (int)await Db.SortedSetLengthAsync(
        feedback.Keys.Index, since is { } at ? at.ToUnixTimeMilliseconds() : double.NegativeInfinity, double.PositiveInfinity,
        since is null ? Exclude.None : Exclude.Start);

    public async Task<int> CountLabelsAsync() => (int)await Db.SortedSetLengthAsync(feedback.Keys.Index);

    /// <summary>Adds a decision to the bounded list, unless it only repeats the latest skip (a skip that holds is
    /// recorded once, until the decision changes); true when recorded.</summary>
    public async Task<bool> RecordAsync(RetrainingDecision decision)
    {
        if (!decision.Fired && (await GetDecisionsAsync(1)).FirstOrDefault() is { } latest && latest.Kind == decision.Kind) return false;
        var transaction = Db.CreateTransaction();
        _ = transaction.ListLeftPushAsync(DecisionsKey, JsonSerializer.Serialize(decision, Json));
        _ = transaction.ListTrimAsync(DecisionsKey, 0, options.Value.HistoryLimit - 1);
        await transaction.ExecuteAsync();
        return true;
    }

    /// <summary>The latest decisions, newest first.</summary>
    public async Task<IReadOnlyList<RetrainingDecision>> GetDecisionsAsync(int count)
    {
        var values = await Db.ListRangeAsync(DecisionsKey, 0, count - 1);
        return [.. values.Select(Read<RetrainingDecision>).OfType<RetrainingDecision>()];
    }

    private static bool NamesDriftHold(RedisValue stored) =>
        JsonNode.Parse(stored.ToString()) is JsonObject fields && fields.ContainsKey("driftHold");

    private static T? Read<T>(RedisValue value) where T : class
    {
        if (value.IsNullOrEmpty) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(value.ToString(), Json);
        }
        catch (JsonException)
        {
            return null; // a damaged record reads as none: the default policy (off), no last run
        }
    }
}
