namespace Fer.AppHost.Redis;

/// <summary>Where the registry's Redis comes from.</summary>
public enum RedisKind
{
    /// <summary>An existing server named by ConnectionStrings:redis.</summary>
    Existing,

    /// <summary>The Redis container image (Aspire.Hosting.Redis); needs a container runtime, always used to publish.</summary>
    Container,

    /// <summary>redis-server from PATH, run as an executable resource.</summary>
    RedisServer,

    /// <summary>Embedded Garnet (Fer.Garnet), run as a project resource: needs nothing but the .NET SDK.</summary>
    Garnet,
}
