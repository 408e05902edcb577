using System.Globalization;
using System.Text.Json;
using Fer.Trainer.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Job records in Redis: a hash per job (<c>{prefix}:job:{id}</c>: state, owner instance, times and the snapshot as
/// JSON) and a sorted set of job ids by creation time (<c>{prefix}:jobs</c>), trimmed to the most recent
/// <see cref="TrainerOptions.RecentJobs"/> finished jobs. The owner field lets a restarted trainer tell the jobs it was
/// running from the ones it runs now, and each live trainer holds a lease (<c>{prefix}:owner:{instance}</c>, renewed
/// before it expires), so that a second trainer on the same Redis leaves the first one's jobs alone.
/// </summary>
public sealed class TrainJobStore(IConnectionMultiplexer redis, IOptions<TrainerOptions> options)
{
    public const string StateField = "state";
    public const string OwnerField = "owner";
    public const string CreatedField = "createdAt";
    public const string UpdatedField = "updatedAt";
    public const string SnapshotField = "json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private string Prefix => options.Value.KeyPrefix;

    public RedisKey IndexKey => $"{Prefix}:jobs";

    public RedisKey JobKey(string id) => $"{Prefix}:job:{id}";

    public RedisKey LeaseKey(string owner) => $"{Prefix}:owner:{owner}";

    /// <summary>Says that <paramref name="owner"/> is alive for <paramref name="ttl"/> more.</summary>
    public Task RenewLeaseAsync(string owner, TimeSpan ttl) => redis.GetDatabase().StringSetAsync(LeaseKey(owner), "alive", ttl);

    public Task ReleaseLeaseAsync(string owner) => redis.GetDatabase().KeyDeleteAsync(LeaseKey(owner));

    public async Task SaveAsync(TrainJob job, string owner)
    {
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync(JobKey(job.Id),
        [
            new HashEntry("id", job.Id),
            new HashEntry(StateField, job.State.Name()),
            new HashEntry(OwnerField, owner),
            new HashEntry(CreatedField, job.Timings.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
            new HashEntry(UpdatedField, job.Timings.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)),
            new HashEntry(SnapshotField, JsonSerializer.Serialize(job, Json)),
        ]);
        _ = transaction.SortedSetAddAsync(IndexKey, job.Id, job.Timings.CreatedAt.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync();
        if (job.State.IsFinal()) await TrimAsync(db);
    }

    public async Task<TrainJob?> GetAsync(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128) return null;
        var json = await redis.GetDatabase().HashGetAsync(JobKey(id), SnapshotField);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<TrainJob>(json.ToString(), Json);
    }

    /// <summary>The most recent jobs, newest first.</summary>
    public async Task<IReadOnlyList<TrainJob>> ListRecentAsync(int count)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByRankAsync(IndexKey, 0, count - 1, Order.Descending);
        var reads = ids.Select(id => db.HashGetAsync(JobKey(id.ToString()), SnapshotField)).ToList();
        var jobs = new List<TrainJob>(reads.Count);
        foreach (var read in reads)
        {
            var json = await read;
            if (!json.IsNullOrEmpty && JsonSerializer.Deserialize<TrainJob>(json.ToString(), Json) is { } job) jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>
    /// Marks every job that is still queued or running but belongs to another trainer instance that no longer holds its
    /// lease (one that stopped without finishing it) as failed. Returns the ids it marked.
    /// </summary>
    public async Task<IReadOnlyList<string>> MarkInterruptedAsync(string owner, DateTimeOffset now, string reason)
    {
        var db = redis.GetDatabase();
        var marked = new List<string>();
        foreach (var id in await db.SortedSetRangeByRankAsync(IndexKey))
        {
            var fields = await db.HashGetAsync(JobKey(id.ToString()), [StateField, OwnerField, SnapshotField]);
            if (fields[0].IsNullOrEmpty || fields[2].IsNullOrEmpty || fields[1] == owner) continue;
            var state = fields[0].ToString();
            if (state != TrainJobState.Queued.Name() && state != TrainJobState.Running.Name()) continue;
            if (await db.KeyExistsAsync(LeaseKey(fields[1].ToString()))) continue; // its trainer is alive and runs it
            var job = JsonSerializer.Deserialize<TrainJob>(fields[2].ToString(), Json);
            if (job is null) continue;

            var failed = job with
            {
                State = TrainJobState.Failed,
                Error = reason,
                Timings = job.Timings with
                {
                    FinishedAt = now,
                    UpdatedAt = now,
                    RunningSeconds = job.Timings.StartedAt is { } started ? (now - started).TotalSeconds : null,
                },
            };
            // Only if nobody changed the job meanwhile (its previous owner may have come back).
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.HashEqual(JobKey(job.Id), StateField, state));
            transaction.AddCondition(Condition.HashEqual(JobKey(job.Id), OwnerField, fields[1]));
            _ = transaction.HashSetAsync(JobKey(job.Id),
            [
                new HashEntry(StateField, failed.State.Name()),
                new HashEntry(UpdatedField, now.ToString("O", CultureInfo.InvariantCulture)),
                new HashEntry(SnapshotField, JsonSerializer.Serialize(failed, Json)),
            ]);
            if (await transaction.ExecuteAsync()) marked.Add(job.Id);
        }
        return marked;
    }

    // Keeps the newest RecentJobs entries; older ones go unless still queued or running.
    private async Task TrimAsync(IDatabase db)
    {
        var keep = options.Value.RecentJobs;
        var old = await db.SortedSetRangeByRankAsync(IndexKey, 0, -keep - 1);
        foreach (var id in old)
        {
            var state = (string?)await db.HashGetAsync(JobKey(id.ToString()), StateField);
            if (state == TrainJobState.Queued.Name() || state == TrainJobState.Running.Name()) continue;
            var transaction = db.CreateTransaction();
            _ = transaction.KeyDeleteAsync(JobKey(id.ToString()));
            _ = transaction.SortedSetRemoveAsync(IndexKey, id);
            await transaction.ExecuteAsync();
        }
    }
}
