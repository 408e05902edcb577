using Fer.AppHost.Hosting;

namespace Fer.AppHost.Supervision;

/// <summary>A declared resource with its live replicas.</summary>
public sealed class ResourceRuntime(Resource resource, IReadOnlyList<Replica> replicas, string? note)
{
    public Resource Resource { get; } = resource;
    public string Name => Resource.Name;
    public IReadOnlyList<Replica> Replicas { get; } = replicas;

    /// <summary>How this resource is provided (e.g. which Redis, and why).</summary>
    public string? Note { get; } = note;

    /// <summary>Completes once every replica has been up: healthy, or alive and saying why it is not ready yet.</summary>
    public Task WhenHealthy => Task.WhenAll(Replicas.Select(replica => replica.WhenHealthy));

    public bool IsHealthy => Replicas.All(replica => replica.Health is HealthState.Healthy or HealthState.NotReady);
}
