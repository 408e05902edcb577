using System.Text.Json;
using StackExchange.Redis;

namespace Fer.Registry.Monitoring;

/// <summary>Every replica's latest drift report in one Redis hash (<c>{prefix}:monitoring:drift</c>, field: the replica),
/// beside the registry: replicas write theirs every few seconds, the trainer, the page and the AppHost read them all.
/// A report older than <see cref="Stale"/> is from a replica that stopped, and is dropped when read.</summary>
public sealed class DriftRegistry(ModelRegistry registry, IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    public RedisKey Key => $"{registry.Keys.Prefix}:monitoring:drift";

    public async Task ReportAsync(DriftReport report)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var set = batch.HashSetAsync(Key, report.Replica, JsonSerializer.Serialize(report, DriftJsonContext.Default.DriftReport));
        var expire = batch.KeyExpireAsync(Key, KeepFor);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    /// <summary>The reports of the replicas that reported within <see cref="Stale"/>, by replica.</summary>
    public async Task<IReadOnlyList<DriftReport>> ReadAsync()
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        var reports = new List<DriftReport>();
        foreach (var entry in await db.HashGetAllAsync(Key))
        {
            DriftReport? report;
            try
            {
                report = JsonSerializer.Deserialize(entry.Value.ToString(), DriftJsonContext.Default.DriftReport);
            }
            catch (JsonException)
            {
                report = null;
            }
            if (report is not null && now - report.At <= Stale) reports.Add(report);
            else await db.HashDeleteAsync(Key, entry.Name);
        }
        return [.. reports.OrderBy(r => r.Replica, StringComparer.Ordinal)];
    }
}
