namespace Fer.Tests.AppHost;

/// <summary>One whole system (redis-server, trainer, 2 inference replicas, gateway) shared by the system tests.</summary>
public sealed class AppHostSystemFixture : IAsyncLifetime
{
    public static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(4);

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
