using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>Something the AppHost does not run (a Redis given by connection string): only its health is watched.</summary>
public sealed class ExternalReplica(string resourceName, string name, string endpoint, IHealthProbe probe,
    SupervisionSettings settings, ConsoleLog console, TimeProvider time, ILogger logger)
    : Replica(resourceName, name, endpoint, probe, settings, console, time, logger)
{
    private CancellationTokenSource? _probing;
    private Task? _health;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        State = ReplicaState.Running;
        StartedAt = Time.GetUtcNow();
        Note($"external: {Endpoint} (not started or stopped by the AppHost)");
        _probing = new CancellationTokenSource();
        _health = ProbeHealthAsync(_probing.Token);
        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_probing is not null) await _probing.CancelAsync();
        if (_health is not null) await _health;
        State = ReplicaState.Stopped;
    }

    public override Task RestartAsync(CancellationToken cancellationToken)
    {
        Note("an external resource cannot be restarted from here");
        return Task.CompletedTask;
    }
}
