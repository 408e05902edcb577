namespace Fer.AppHost.Redis;

public enum RedisMode
{
    /// <summary>ConnectionStrings__redis was given: use that Redis, run nothing.</summary>
    External,
    /// <summary>redis-server from PATH, as a supervised child process.</summary>
    RedisServer,
    /// <summary>Embedded Garnet in the AppHost's process.</summary>
    Garnet,
}
