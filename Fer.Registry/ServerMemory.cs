using System.Globalization;
using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>
/// How much memory the registry's server holds and may hold, from INFO. Redis: <c>used_memory</c> of <c>maxmemory</c>
/// (0: unlimited, so <see cref="Limit"/> is 0). Garnet keeps large values (our chunks) on its heap and evicts once the
/// heap passes <c>store_heap_memory_target_size</c> (its <c>--memory</c>): used is the heap plus the log's records
/// (<c>Log.CurrentHeapSizeBytes</c> + <c>Log.TailAddress</c> - <c>Log.BeginAddress</c> of INFO store).
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
        if (memory.TryGetValue("store_heap_memory_target_size", out var heapTarget))
        {
            var store = Parse((string?)await db.ExecuteAsync("INFO", "store"));
            var used = Number(store, "Log.CurrentHeapSizeBytes") + Number(store, "Log.TailAddress") - Number(store, "Log.BeginAddress");
            return new ServerMemory("garnet", used, heapTarget);
        }
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
