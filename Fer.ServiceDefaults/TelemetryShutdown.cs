using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Fer.ServiceDefaults;

/// <summary>
/// Bounds the last export of traces, metrics and logs when the service stops. OpenTelemetry otherwise flushes each
/// of the three for up to 5 s, one after the other, when the host is disposed; the dashboard stops at the same moment as
/// the services, and its OTLP endpoint (a DCP proxy) then accepts connections without answering, so a service stopped
/// by Ctrl+C lingered 15 s (DCP kills it after about 6). Each flush gets <see cref="Timeout"/> instead, all three at
/// once; a collector that is still there takes milliseconds.
/// </summary>
public sealed class TelemetryShutdown(IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(Flush);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Flush()
    {
        var milliseconds = (int)Timeout.TotalMilliseconds;
        Parallel.Invoke(
            () => services.GetService<TracerProvider>()?.Shutdown(milliseconds),
            () => services.GetService<MeterProvider>()?.Shutdown(milliseconds),
            () => services.GetService<LoggerProvider>()?.Shutdown(milliseconds));
    }
}
