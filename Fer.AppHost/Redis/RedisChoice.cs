namespace Fer.AppHost.Redis;

/// <summary>Which Redis the AppHost runs, and why (logged, and shown on the model-registry resource).</summary>
public sealed record RedisChoice(RedisKind Kind, string Reason, string? ServerPath = null)
{
    public const string ServerExecutable = "redis-server";

    /// <summary>ConnectionStrings:redis, else (publishing, or a container runtime answers) the container, else
    /// redis-server on PATH, else embedded Garnet. <paramref name="forced"/> (Fer:Redis) skips the detection.</summary>
    public static RedisChoice Decide(string? connectionString, bool publishing, RedisKind? forced,
        Func<bool> containerRuntimeAnswers, Func<string, string?> findOnPath)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
            return new(RedisKind.Existing, "ConnectionStrings:redis is set");
        if (publishing)
            return new(RedisKind.Container, "publishing: a deployment runs the Redis container");

        switch (forced)
        {
            case RedisKind.Container:
                return new(RedisKind.Container, "Fer:Redis is 'container'");
            case RedisKind.RedisServer:
                return findOnPath(ServerExecutable) is { } path
                    ? new(RedisKind.RedisServer, "Fer:Redis is 'redis-server'", path)
                    : throw new InvalidOperationException($"Fer:Redis is 'redis-server' but {ServerExecutable} is not on PATH");
            case RedisKind.Garnet:
                return new(RedisKind.Garnet, "Fer:Redis is 'garnet'");
        }

        if (containerRuntimeAnswers())
            return new(RedisKind.Container, "a container runtime answers");
        if (findOnPath(ServerExecutable) is { } server)
            return new(RedisKind.RedisServer, $"no container runtime answers, and {ServerExecutable} is on PATH ({server})", server);
        return new(RedisKind.Garnet, $"no container runtime answers and no {ServerExecutable} is on PATH");
    }

    public static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
}
