namespace Fer.AppHost.Redis;

/// <summary>Which Redis the system gets, and why.</summary>
public sealed record RedisPlan(RedisMode Mode, string Reason, string ConnectionString, string Host, int Port, string? ServerPath);
