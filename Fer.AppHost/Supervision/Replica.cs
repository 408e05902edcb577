using Microsoft.Extensions.Logging;

namespace Fer.AppHost.Supervision;

/// <summary>One running copy of a resource: its state, health, console and the verbs start, stop, restart.</summary>
public abstract partial class Replica(string resourceName, string name, string? endpoint, IHealthProbe probe,
    SupervisionSettings settings, ConsoleLog console, TimeProvider time, ILogger logger)
{
    private readonly TaskCompletionSource _firstHealthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ResourceName { get; } = resourceName;
    public string Name { get; } = name;
    public string? Endpoint { get; } = endpoint;
    public ConsoleLog Console { get; } = console;

    public ReplicaState State { get; protected set; } = ReplicaState.Waiting;
    public HealthState Health { get; private set; } = HealthState.Unknown;
    public string? HealthDescription { get; private set; }
    public int? Pid { get; protected set; }
    public int Restarts { get; protected set; }
    public int? LastExitCode { get; protected set; }
    public DateTimeOffset? StartedAt { get; protected set; }
    public DateTimeOffset? NextStartAt { get; protected set; }

    /// <summary>Completes the first time the replica is healthy or alive-but-not-ready (dependents wait on it).</summary>
    public Task WhenHealthy => _firstHealthy.Task;

    protected SupervisionSettings Settings { get; } = settings;
    protected TimeProvider Time { get; } = time;
    protected ILogger Logger { get; } = logger;

    /// <summary>Starts the replica and its supervision; returns once it has been launched.</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops it for good (graceful first, then forcefully).</summary>
    public abstract Task StopAsync(CancellationToken cancellationToken);

    /// <summary>From now on an exit is final (the AppHost is stopping).</summary>
    public virtual void SuppressRestarts()
    {
    }

    /// <summary>Stops it gracefully and starts it again at once.</summary>
    public abstract Task RestartAsync(CancellationToken cancellationToken);

    public ReplicaSnapshot Snapshot() => new(Name, State, Health, HealthDescription, Pid, Restarts, LastExitCode, StartedAt,
        State == ReplicaState.Restarting || State == ReplicaState.FailedToStart ? NextStartAt : null, Endpoint,
        Pid is { } pid ? ProcessMemory.ResidentBytes(pid) : null);

    protected void Note(string text)
    {
        Console.Append(ConsoleLog.System, text);
        LogNote(Logger, Name, text);
    }

    /// <summary>Probes health every interval until cancelled; says so when it changes.</summary>
    protected async Task ProbeHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await probe.ProbeAsync(cancellationToken);
                if (result.State != Health)
                {
                    LogHealth(Logger, Name, result.State, result.Description);
                    Console.Append(ConsoleLog.System, $"health: {result.State}");
                }
                (Health, HealthDescription) = (result.State, result.Description);
                if (result.State is HealthState.Healthy or HealthState.NotReady) _firstHealthy.TrySetResult();
                await Task.Delay(Settings.HealthInterval, Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            (Health, HealthDescription) = (HealthState.Unknown, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Replica}: {Text}")]
    private static partial void LogNote(ILogger logger, string replica, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Replica} is {Health}: {Description}")]
    private static partial void LogHealth(ILogger logger, string replica, HealthState health, string description);
}
