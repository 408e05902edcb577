using System.Globalization;
using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>
/// How much memory the registry's server holds and may hold, from INFO. Redis: <c>used_memory</c> of <c>maxmemory</c>
/// (0: unlimited, so <see cref="Limit"/> is 0). Garnet 2.2.8 evicts once its main log's memory, the allocated log pages
/// plus the heap that holds large values (our chunks), passes its <c>--memory</c>: <c>store_mainlog_memory_size</c> of
/// <c>store_heap_memory_target_size</c>. (Counting the heap alone against that target let Garnet evict a version first.)
/// </summary>
internal sealed record ServerMemory(string Kind, long Used, long Limit)
{
    /// <summary>Null when the server does not say (INFO refused by an ACL, or fields unknown): nothing is checked then.</summary>
    public static async Task<ServerMemory?> ReadAsync(IDatabase db)
    {
        try
        {
            return await ReadInfoAsync(db);
        }
        catch (RedisServerException)
        {
            return null;
        }
    }

    private static async Task<ServerMemory?> ReadInfoAsync(IDatabase db)
    {
        var memory = Parse((string?)await db.ExecuteAsync("INFO", "memory"));
        if (memory.TryGetValue("store_heap_memory_target_size", out var target))
            return new ServerMemory("garnet", Number(memory, "store_mainlog_memory_size"), target);
        return memory.ContainsKey("used_memory") ? new ServerMemory("redis", Number(memory, "used_memory"), Number(memory, "maxmemory")) : null;
    }

    private static long Number(Dictionary<string, long> fields, string name) => fields.GetValueOrDefault(name);

    private static Dictionary<string, long> Parse(string? info)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (info ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && long.TryParse(line.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                fields[line[..colon]] = value;
        }
        return fields;
    }
}
