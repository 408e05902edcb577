using Aspire.Hosting.ApplicationModel;
using Fer.AppHost.Redis;
using Fer.Registry;
using Fer.Registry.Monitoring;
using Fer.Registry.Rollouts;
using Fer.Registry.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.AppHost.Registry;

/// <summary>
/// Keeps the registry resource's state current: reads production (or the rollout in progress) and the replicas' drift
/// reports when Redis is ready, then again on every announcement on the registry's promotion channel, every few seconds
/// while a rollout runs (its evidence grows between announcements), and every few seconds otherwise too, as drift
/// reports change without an announcement (replicas report every 2 s) and announcements can be missed.
/// </summary>
public sealed class ModelRegistryWatcher(ModelRegistryResource resource, FerRedis redis, IServiceProvider services)
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RolloutResync = TimeSpan.FromSeconds(3);
    private static readonly HashSet<string> OwnProperties = ["fer.production", "fer.versions", "fer.rollout", "fer.rollout.decision", "fer.drift"];

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
            var registryOptions = Options.Create(new RegistryOptions());
            var registry = new ModelRegistry(connection, registryOptions,
                new RegistryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
                TimeProvider.System, services.GetRequiredService<ILogger<ModelRegistry>>());
            var rollouts = new RolloutRegistry(registry, connection, registryOptions, TimeProvider.System);
            var drift = new DriftRegistry(registry, connection, TimeProvider.System);

            // An announcement wakes the loop, which alone publishes, so updates never race each other.
            using var announced = new SemaphoreSlim(0);
            await using var subscription = await registry.SubscribeAsync(_ =>
            {
                announced.Release();
                return Task.CompletedTask;
            });
            while (!stopping.IsCancellationRequested)
            {
                var inRollout = await PublishAsync(registry, rollouts, drift);
                await announced.WaitAsync(inRollout ? RolloutResync : Resync, stopping);
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

    /// <summary>Publishes the state: the rollout when one runs, production otherwise, with the drift alarms of the versions
    /// it names (Warn style while one holds); returns whether a rollout runs.</summary>
    private async Task<bool> PublishAsync(ModelRegistry registry, RolloutRegistry rollouts, DriftRegistry drift)
    {
        var production = await registry.GetProductionVersionAsync();
        var info = production is null ? null : await registry.TryGetMetadataAsync(production);
        var versions = await registry.ListAsync();
        var rollout = await rollouts.GetAsync();
        var evidence = rollout is null ? null : await rollouts.ReadEvidenceAsync(rollout.Id, rollout.Step);
        var lastDecision = (await rollouts.GetDecisionsAsync(1)).FirstOrDefault();
        var overview = DriftOverview.Of(await drift.ReadAsync());
        string[] named = rollout is not null ? [rollout.Baseline, rollout.Candidate] : production is null ? [] : [production];
        var text = (rollout is null ? ProductionSummary.Describe(info) : RolloutSummary.Describe(rollout, evidence!.GetValueOrDefault(rollout.Candidate)))
            + DriftSummary.StateAlarms(overview, named);
        var style = DriftSummary.AnyAlarm(overview, named) ? KnownResourceStateStyles.Warn
            : rollout is null && info is not null ? KnownResourceStateStyles.Success : KnownResourceStateStyles.Info;
        var state = new ResourceStateSnapshot(text, style);
        await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            State = state,
            Properties = [.. snapshot.Properties.Where(p => !OwnProperties.Contains(p.Name)),
                new ResourcePropertySnapshot("fer.production", production ?? ""),
                new ResourcePropertySnapshot("fer.versions", versions.Count),
                new ResourcePropertySnapshot("fer.rollout", rollout?.Id ?? ""),
                new ResourcePropertySnapshot("fer.rollout.decision", lastDecision is null ? "" : RolloutSummary.DescribeDecision(lastDecision)),
                new ResourcePropertySnapshot("fer.drift", DriftSummary.DescribeVersions(overview))],
        });
        return rollout is not null;
    }

}
