using System.Globalization;
using Fer.AppHost.Redis;

namespace Fer.AppHost.Hosting;

/// <summary>
/// Turns the declared resources into replicas with ports and environment, using Aspire's contracts
/// (architecture.md): ConnectionStrings__redis, services__name__http__i, ASPNETCORE_URLS and the OTEL_* variables.
/// </summary>
public static class AppModelPlanner
{
    /// <summary>How often services export telemetry (ms): short, as Aspire does in development.</summary>
    public const string ExportIntervalMilliseconds = "1000";

    public static IReadOnlyDictionary<Resource, IReadOnlyList<ReplicaPlan>> Plan(IReadOnlyList<Resource> resources,
        RedisPlan? redis, Uri otlpEndpoint, Func<int> allocatePort, string environmentName)
    {
        var ports = new Dictionary<Resource, int[]>();
        foreach (var resource in resources.OfType<ProjectResource>())
        {
            ports[resource] = Enumerable.Range(0, resource.Replicas)
                .Select(_ => resource.FixedPort ?? allocatePort())
                .ToArray();
        }

        var plans = new Dictionary<Resource, IReadOnlyList<ReplicaPlan>>();
        foreach (var resource in resources.OfType<ProjectResource>())
        {
            var replicas = new List<ReplicaPlan>();
            for (var i = 0; i < resource.Replicas; i++)
            {
                var port = ports[resource][i];
                var name = ResourceNames.Replica(resource.Name, i);
                var environment = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ASPNETCORE_URLS"] = ListenUrl(resource, port),
                    ["ASPNETCORE_ENVIRONMENT"] = environmentName,
                    ["DOTNET_ENVIRONMENT"] = environmentName,
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint.ToString().TrimEnd('/'),
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    ["OTEL_SERVICE_NAME"] = resource.Name,
                    ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}",
                    ["OTEL_BLRP_SCHEDULE_DELAY"] = ExportIntervalMilliseconds,
                    ["OTEL_BSP_SCHEDULE_DELAY"] = ExportIntervalMilliseconds,
                    ["OTEL_METRIC_EXPORT_INTERVAL"] = ExportIntervalMilliseconds,
                    ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
                    ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
                    ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
                };
                foreach (var reference in resource.References)
                {
                    switch (reference)
                    {
                        case RedisResource when redis is not null:
                            environment[$"ConnectionStrings__{reference.Name}"] = redis.ConnectionString;
                            break;
                        case ProjectResource project:
                            for (var j = 0; j < project.Replicas; j++)
                                environment[$"services__{project.Name}__http__{j.ToString(CultureInfo.InvariantCulture)}"] = ServiceUrl(project, ports[project][j]);
                            break;
                        default:
                            throw new InvalidOperationException($"resource '{resource.Name}' references '{reference.Name}', which gives no address");
                    }
                }
                foreach (var (key, value) in resource.Environment) environment[key] = value;
                replicas.Add(new ReplicaPlan(resource.Name, name, i, port, ServiceUrl(resource, port), environment));
            }
            plans[resource] = replicas;
        }
        return plans;
    }

    /// <summary>A fixed (public) port listens on localhost, IPv4 and IPv6; allocated ones on 127.0.0.1 only.</summary>
    private static string ListenUrl(Resource resource, int port) =>
        resource.FixedPort is not null ? $"http://localhost:{port}" : $"http://127.0.0.1:{port}";

    private static string ServiceUrl(Resource resource, int port) =>
        resource.FixedPort is not null ? $"http://localhost:{port}" : $"http://127.0.0.1:{port}";
}
