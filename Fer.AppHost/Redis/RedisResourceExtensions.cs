using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Fer.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Redis;

public static class RedisResourceExtensions
{
    public const string ConnectionName = "redis";

    /// <summary>Adds the Redis that <paramref name="choice"/> names. Each local kind keeps its data in the state
    /// directory across restarts and has room for <see cref="FerSettings.RedisMemoryMegabytes"/>; when that is full a
    /// write is refused (noeviction) or, on Garnet, goes to its on-disk tier: nothing is evicted silently.</summary>
    public static FerRedis AddFerRedis(this IDistributedApplicationBuilder builder, RedisChoice choice, FerSettings settings)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            started.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost")
                .LogInformation("Redis: {Kind}, because {Reason}", choice.Kind.Describe(), choice.Reason);
            return Task.CompletedTask;
        });
        switch (choice.Kind)
        {
            case RedisKind.Existing:
                return new FerRedis(choice, builder.AddConnectionString(ConnectionName), null);
            case RedisKind.Container:
            {
                // Redis's own snapshotting every 60 s, into a named volume that outlives the container.
                var container = builder.AddRedis(ConnectionName).WithDataVolume().WithPersistence(TimeSpan.FromSeconds(60));
                return new FerRedis(choice, container, container);
            }
            case RedisKind.RedisServer:
            {
                var data = Directory.CreateDirectory(Path.Combine(settings.StateDirectory, "redis-server")).FullName;
                var server = builder.AddExecutable("redis-server", choice.ServerPath!, data)
                    .WithEndpoint(scheme: "tcp", name: "tcp");
                var endpoint = server.GetEndpoint("tcp");
                server.WithArgs(context =>
                {
                    context.Args.Add("--port");
                    context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                    foreach (var argument in RedisServerArguments(data, settings.RedisMemoryMegabytes)) context.Args.Add(argument);
                });
                return WithConnectionString(builder, choice, server, endpoint);
            }
            default:
            {
                var data = Path.Combine(settings.StateDirectory, "garnet");
                var server = builder.AddProject<Projects.Fer_Garnet>("garnet")
                    .RunBuiltProgram()
                    .WithEndpoint(scheme: "tcp", name: "tcp", env: "Garnet__Port")
                    .WithEnvironment("Garnet__DataDirectory", data)
                    .WithEnvironment("Garnet__MemorySize", $"{settings.RedisMemoryMegabytes.ToString(CultureInfo.InvariantCulture)}m");
                return WithConnectionString(builder, choice, server, server.GetEndpoint("tcp"));
            }
        }
    }

    /// <summary>ConnectionStrings__redis and a wait on the server, in one call.</summary>
    public static IResourceBuilder<T> WithRedis<T>(this IResourceBuilder<T> service, FerRedis redis)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        service.WithReference(redis.Connection);
        return redis.Server is null ? service : service.WaitFor(redis.Server);
    }

    /// <summary>redis-server: on loopback, an append-only file fsynced every second beside the RDB snapshots, and a
    /// memory cap that refuses writes (noeviction) instead of evicting a model.</summary>
    public static IReadOnlyList<string> RedisServerArguments(string dataDirectory, int maxMemoryMegabytes) =>
    [
        "--bind", "127.0.0.1", "--protected-mode", "yes", "--daemonize", "no",
        "--dir", dataDirectory,
        "--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1",
        "--maxmemory", $"{maxMemoryMegabytes.ToString(CultureInfo.InvariantCulture)}mb", "--maxmemory-policy", "noeviction",
    ];

    private static FerRedis WithConnectionString<T>(IDistributedApplicationBuilder builder, RedisChoice choice,
        IResourceBuilder<T> server, EndpointReference endpoint) where T : class, IResourceWithEndpoints, IResourceWithWaitSupport
    {
        // A PING through the same endpoint the services use: services wait for it (WaitFor), not just for the process.
        var healthCheck = $"{server.Resource.Name}-ping";
        builder.Services.AddHealthChecks().AddRedis(_ => $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}", name: healthCheck);
        server.WithHealthCheck(healthCheck);
        var connection = builder.AddConnectionString(ConnectionName,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}"));
        connection.WithParentRelationship(server);
        return new FerRedis(choice, connection, server);
    }
}
