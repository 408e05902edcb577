using System.Diagnostics;
using Fer.AppHost.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>
/// Starts every resource once the dashboard listens, each after the resources it waits for are healthy, and stops them
/// in reverse order (dependents first) when the AppHost stops (Ctrl+C, SIGTERM).
/// </summary>
public sealed partial class ResourceSupervisor(AppModel model, ProjectBuilds builds, ChildRegistry children, IHostApplicationLifetime lifetime,
    ILogger<ResourceSupervisor> logger)
    : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();

    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, _stopping.Token);
        var stoppingToken = linked.Token;
        // Kept for the host's lifetime (ExecuteAsync ends once everything is healthy).
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var replica in model.Resources.SelectMany(resource => resource.Replicas)) replica.SuppressRestarts();
        });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        children.SweepLeftovers();
        await builds.EnsureBuiltAsync(model.Resources.Select(r => r.Resource).OfType<ProjectResource>(), stoppingToken);
        var starts = model.Resources.Select(resource => StartAsync(resource, stoppingToken)).ToList();
        await Task.WhenAll(starts);
        await Task.WhenAll(model.Resources.Select(resource => resource.WhenHealthy)).WaitAsync(stoppingToken);
        var seconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        model.AllHealthyAfterSeconds = seconds;
        LogAllHealthy(logger, seconds);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Children stop here, before any hosted service stops: the dashboard's web server (the OTLP receiver) must still
    /// answer while they flush their last telemetry, or their exporters retry for seconds and outlive the grace period.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync(); // nothing more starts
        var timer = Stopwatch.StartNew();
        // Dependents first: the gateway, then the services, then Redis. Resources at the same depth stop together.
        foreach (var level in Levels().Reverse())
            await Task.WhenAll(level.SelectMany(resource => resource.Replicas).Select(replica => replica.StopAsync(cancellationToken)));
        LogStopped(logger, timer.Elapsed.TotalSeconds);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StartAsync(ResourceRuntime resource, CancellationToken stoppingToken)
    {
        var dependencies = resource.Resource.WaitsFor.Select(dependency => model.Find(dependency.Name)!).ToList();
        if (dependencies.Count > 0)
        {
            LogWaiting(logger, resource.Name, string.Join(", ", dependencies.Select(d => d.Name)));
            await Task.WhenAll(dependencies.Select(dependency => dependency.WhenHealthy)).WaitAsync(stoppingToken);
        }
        LogStarting(logger, resource.Name, resource.Replicas.Count);
        await Task.WhenAll(resource.Replicas.Select(replica => replica.StartAsync(stoppingToken)));
    }

    /// <summary>Groups of resources by dependency depth (depth 0 depends on nothing).</summary>
    private IEnumerable<IReadOnlyList<ResourceRuntime>> Levels()
    {
        var depth = new Dictionary<string, int>();
        foreach (var resource in model.Resources) // already in dependency order
        {
            depth[resource.Name] = resource.Resource.WaitsFor.Concat(resource.Resource.References)
                .Select(dependency => depth[dependency.Name] + 1).DefaultIfEmpty(0).Max();
        }
        return model.Resources.GroupBy(resource => depth[resource.Name]).OrderBy(group => group.Key).Select(group => group.ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} waits for {Dependencies} to be healthy")]
    private static partial void LogWaiting(ILogger logger, string resource, string dependencies);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Resource} ({Replicas} replica(s))")]
    private static partial void LogStarting(ILogger logger, string resource, int replicas);

    [LoggerMessage(Level = LogLevel.Information, Message = "All resources healthy {Seconds:F1} s after the AppHost started")]
    private static partial void LogAllHealthy(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "All resources stopped in {Seconds:F1} s")]
    private static partial void LogStopped(ILogger logger, double seconds);
}
