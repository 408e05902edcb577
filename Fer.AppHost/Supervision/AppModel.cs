using Fer.AppHost.Hosting;

namespace Fer.AppHost.Supervision;

/// <summary>The running system: every resource in start order (dependencies first).</summary>
public sealed class AppModel(IReadOnlyList<ResourceRuntime> resources, AdminKey adminKey, Uri dashboardUrl, Uri otlpEndpoint, int otlpGrpcPort)
{
    public IReadOnlyList<ResourceRuntime> Resources { get; } = resources;
    public AdminKey AdminKey { get; } = adminKey;
    public Uri DashboardUrl { get; } = dashboardUrl;
    public Uri OtlpEndpoint { get; } = otlpEndpoint;
    public int OtlpGrpcPort { get; } = otlpGrpcPort;

    /// <summary>Seconds from the AppHost's process start until every resource was healthy; null until then.</summary>
    public double? AllHealthyAfterSeconds { get; set; }

    public ResourceRuntime? Find(string name) => Resources.FirstOrDefault(resource => resource.Name == name);

    public Replica? FindReplica(string name) =>
        Resources.SelectMany(resource => resource.Replicas).FirstOrDefault(replica => replica.Name == name);

    /// <summary>Start order: a resource comes after everything it waits for or references.</summary>
    public static IReadOnlyList<Resource> Order(IReadOnlyList<Resource> resources)
    {
        var ordered = new List<Resource>();
        var state = new Dictionary<Resource, bool>(); // false: visiting, true: done
        foreach (var resource in resources) Visit(resource, []);
        return ordered;

        void Visit(Resource resource, List<string> path)
        {
            if (state.TryGetValue(resource, out var done))
            {
                if (!done) throw new InvalidOperationException($"resources depend on each other in a cycle: {string.Join(" -> ", path.Append(resource.Name))}");
                return;
            }
            if (!resources.Contains(resource))
                throw new InvalidOperationException($"'{path.LastOrDefault()}' depends on '{resource.Name}', which was not added to this builder");
            state[resource] = false;
            foreach (var dependency in resource.WaitsFor.Concat(resource.References).Distinct())
                Visit(dependency, [.. path, resource.Name]);
            state[resource] = true;
            ordered.Add(resource);
        }
    }
}
