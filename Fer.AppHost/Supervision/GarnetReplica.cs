using Garnet;
using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>Redis as embedded Garnet, inside the AppHost's own process (no redis-server on this machine).</summary>
public sealed class GarnetReplica(string resourceName, string name, int port, string dataDirectory, IHealthProbe probe,
    SupervisionSettings settings, ConsoleLog console, TimeProvider time, ILogger logger)
    : Replica(resourceName, name, $"tcp://127.0.0.1:{port}", probe, settings, console, time, logger)
{
    private GarnetServer? _server;
    private CancellationTokenSource? _probing;
    private Task? _health;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        State = ReplicaState.Starting;
        Directory.CreateDirectory(dataDirectory);
        string[] args =
        [
            "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--checkpointdir", dataDirectory, "--index", "16m", "--memory", "256m",
        ];
        try
        {
            _server = new GarnetServer(args);
            _server.Start();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            State = ReplicaState.FailedToStart;
            Note($"embedded Garnet did not start: {e.Message}");
            throw;
        }
        Pid = Environment.ProcessId;
        StartedAt = Time.GetUtcNow();
        State = ReplicaState.Running;
        Note($"embedded Garnet listening on 127.0.0.1:{port} (data in {dataDirectory})");
        _probing = new CancellationTokenSource();
        _health = ProbeHealthAsync(_probing.Token);
        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        State = ReplicaState.Stopping;
        if (_probing is not null) await _probing.CancelAsync();
        if (_health is not null) await _health;
        _server?.Dispose();
        _server = null;
        Pid = null;
        State = ReplicaState.Stopped;
        Note("embedded Garnet stopped");
    }

    public override async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        Restarts++;
        await StartAsync(cancellationToken);
    }
}
