using Aspire.Hosting.ApplicationModel;
using Fer.AppHost.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.AppHost.Registry;

public static class ModelRegistryResourceExtensions
{
    /// <summary>The registry as a dashboard resource: its state is production and its metrics, its properties say
    /// which Redis holds it and why.</summary>
    public static IResourceBuilder<ModelRegistryResource> AddModelRegistry(this IDistributedApplicationBuilder builder, string name, FerRedis redis)
    {
        var registry = builder.AddResource(new ModelRegistryResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ModelRegistry",
                State = "waiting for Redis",
                Properties =
                [
                    new ResourcePropertySnapshot("fer.redis", redis.Choice.Kind.Describe()),
                    new ResourcePropertySnapshot("fer.redis.reason", redis.Choice.Reason),
                ],
            })
            .WithParentRelationship(redis.Connection)
            .ExcludeFromManifest();
        builder.Eventing.Subscribe<BeforeStartEvent>((started, cancellationToken) =>
        {
            var stopping = started.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var watcher = new ModelRegistryWatcher(registry.Resource, redis, started.Services);
            _ = Task.Run(() => watcher.RunAsync(stopping), stopping);
            return Task.CompletedTask;
        });
        return registry;
    }
}
