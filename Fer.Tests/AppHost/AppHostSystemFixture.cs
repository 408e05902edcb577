namespace Fer.Tests.AppHost;

/// <summary>One whole system (redis-server, trainer, 2 inference replicas, gateway) shared by the system tests.</summary>
public sealed class AppHostSystemFixture : IAsyncLifetime
{
    public static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(4);

    /// <summary>How long a tiny training run may take: well under a minute on an idle 2-core machine, but the whole
    /// system and other work share the cores.</summary>
    public static readonly TimeSpan TinyTrainingTimeout = TimeSpan.FromMinutes(8);

    public AppHostProcess Host { get; private set; } = null!;

    /// <summary>Seconds from starting `dotnet Fer.AppHost.dll` until /api/resources said all healthy.</summary>
    public double SecondsToAllHealthy { get; private set; }

    public async Task InitializeAsync()
    {
        Host = AppHostProcess.Start(redis: "redis-server");
        SecondsToAllHealthy = await Host.WaitAllHealthyAsync(HealthyTimeout);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
