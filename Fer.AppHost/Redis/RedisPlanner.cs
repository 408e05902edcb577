using System.Globalization;

namespace Fer.AppHost.Redis;

/// <summary>ConnectionStrings__redis given -> use it; else redis-server on PATH -> run it; else embedded Garnet.</summary>
public static class RedisPlanner
{
    public const string ServerExecutable = "redis-server";
    public const int DefaultPort = 6379;

    /// <param name="preference">auto, redis-server or garnet (AppHost:Redis).</param>
    public static RedisPlan Decide(string? connectionString, string preference, Func<int> allocatePort, Func<string, string?> findOnPath)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var (host, port) = FirstEndpoint(connectionString);
            return new RedisPlan(RedisMode.External, "ConnectionStrings__redis is set", connectionString, host, port, null);
        }

        var server = preference == "garnet" ? null : findOnPath(ServerExecutable);
        if (server is null && preference == "redis-server")
            throw new InvalidOperationException($"AppHost:Redis is 'redis-server' but {ServerExecutable} is not on PATH");

        var allocated = allocatePort();
        var endpoint = $"127.0.0.1:{allocated.ToString(CultureInfo.InvariantCulture)}";
        return server is not null
            ? new RedisPlan(RedisMode.RedisServer, $"no ConnectionStrings__redis, and {ServerExecutable} is on PATH ({server})", endpoint, "127.0.0.1", allocated, server)
            : new RedisPlan(RedisMode.Garnet, preference == "garnet"
                ? "AppHost:Redis is 'garnet'"
                : $"no ConnectionStrings__redis, and no {ServerExecutable} on PATH", endpoint, "127.0.0.1", allocated, null);
    }

    /// <summary>The first host:port of a StackExchange.Redis connection string ("host:port,password=...").</summary>
    public static (string Host, int Port) FirstEndpoint(string connectionString)
    {
        var first = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(part => !part.Contains('='))
            ?? throw new ArgumentException($"ConnectionStrings__redis ('{connectionString}') names no host:port", nameof(connectionString));
        var colon = first.LastIndexOf(':');
        if (colon < 0) return (first, DefaultPort);
        return int.TryParse(first[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (first[..colon].Trim('[', ']'), port)
            : throw new ArgumentException($"ConnectionStrings__redis ('{connectionString}') has a bad port in '{first}'", nameof(connectionString));
    }

    public static string? FindOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
