using Fer.AppHost.Hosting;

namespace Fer.AppHost.Supervision;

/// <summary>The timing of supervision, from <see cref="AppHostOptions"/>.</summary>
public sealed record SupervisionSettings(TimeSpan HealthInterval, TimeSpan StopTimeout, TimeSpan RestartDelay, TimeSpan MaxRestartDelay)
{
    /// <summary>A process that ran this long before crashing restarts after the first delay again.</summary>
    public TimeSpan StableRun { get; init; } = TimeSpan.FromSeconds(30);

    public static SupervisionSettings From(AppHostOptions options) => new(
        TimeSpan.FromMilliseconds(options.HealthIntervalMilliseconds),
        TimeSpan.FromSeconds(options.StopTimeoutSeconds),
        TimeSpan.FromSeconds(options.RestartDelaySeconds),
        TimeSpan.FromSeconds(options.MaxRestartDelaySeconds));
}
