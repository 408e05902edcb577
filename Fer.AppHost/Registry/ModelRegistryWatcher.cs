using Aspire.Hosting.ApplicationModel;
using Fer.AppHost.Redis;
using Fer.Registry;
using Fer.Registry.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.AppHost.Registry;

/// <summary>
/// Keeps the registry resource's state current: reads production when Redis is ready, then again on every
/// announcement on the registry's promotion channel (and every minute, as announcements can be missed).
/// </summary>
public sealed class ModelRegistryWatcher(ModelRegistryResource resource, FerRedis redis, IServiceProvider services)
{
    private static readonly TimeSpan Resync = TimeSpan.FromMinutes(1);

    private readonly ResourceNotificationService notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Fer.AppHost.Registry");

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (redis.Server is not null)
                await notifications.WaitForResourceHealthyAsync(redis.Server.Resource.Name, stopping);
            var connectionString = await redis.Connection.Resource.GetConnectionStringAsync(stopping)
                ?? throw new InvalidOperationException("the redis resource has no connection string");
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            var registry = new ModelRegistry(connection, Options.Create(new RegistryOptions()),
                new RegistryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
                TimeProvider.System, services.GetRequiredService<ILogger<ModelRegistry>>());

            await using var subscription = await registry.SubscribeAsync(_ => PublishAsync(registry));
            while (!stopping.IsCancellationRequested)
            {
                await PublishAsync(registry);
                await Task.Delay(Resync, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e) when (e is RedisException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(e, "The model registry's state is not watched: {Reason}", e.Message);
            await notifications.PublishUpdateAsync(resource, s => s with { State = new ResourceStateSnapshot($"not watched: {e.Message}", KnownResourceStateStyles.Warn) });
        }
    }

    private async Task PublishAsync(ModelRegistry registry)
    {
        var production = await registry.GetProductionVersionAsync();
        var info = production is null ? null : await registry.TryGetMetadataAsync(production);
        var versions = await registry.ListAsync();
        await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            State = new ResourceStateSnapshot(ProductionSummary.Describe(info), info is null ? KnownResourceStateStyles.Info : KnownResourceStateStyles.Success),
            Properties = [.. snapshot.Properties.Where(p => p.Name is not ("fer.production" or "fer.versions")),
                new ResourcePropertySnapshot("fer.production", production ?? ""),
                new ResourcePropertySnapshot("fer.versions", versions.Count)],
        });
    }
}
