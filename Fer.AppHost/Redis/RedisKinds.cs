namespace Fer.AppHost.Redis;

public static class RedisKinds
{
    /// <summary>Fer:Redis: empty or "auto" (decide), "container", "redis-server" or "garnet".</summary>
    public static RedisKind? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "container" => RedisKind.Container,
        "redis-server" => RedisKind.RedisServer,
        "garnet" => RedisKind.Garnet,
        _ => throw new ArgumentException($"Fer:Redis must be auto, container, redis-server or garnet (was '{text}')"),
    };

    public static string Describe(this RedisKind kind) => kind switch
    {
        RedisKind.Existing => "existing Redis",
        RedisKind.Container => "Redis container",
        RedisKind.RedisServer => "redis-server",
        _ => "embedded Garnet",
    };
}
