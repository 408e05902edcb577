namespace Fer.AppHost.Hosting;

/// <summary>The app-model verbs, named as in Aspire.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Gives this resource the other's address: ConnectionStrings__name for Redis,
    /// services__name__http__i for a project.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source)
        where T : Resource
    {
        if (ReferenceEquals(builder.Resource, source.Resource))
            throw new InvalidOperationException($"resource '{builder.Resource.Name}' cannot reference itself");
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once every replica of <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int replicas) where T : Resource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        if (replicas > 1 && builder.Resource.FixedPort is not null)
            throw new InvalidOperationException($"resource '{builder.Resource.Name}' has a fixed port, so it cannot have {replicas} replicas");
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Listens on this fixed port (on localhost) instead of an allocated one.</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int port) where T : Resource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (builder.Resource.Replicas > 1)
            throw new InvalidOperationException($"resource '{builder.Resource.Name}' has {builder.Resource.Replicas} replicas, so it cannot have a fixed port");
        builder.Resource.FixedPort = port;
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : Resource
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }
}
