using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.ServiceDefaults;

/// <summary>Starts the host meter and, where a driver is present, the NVML GPU meter; says once which it found.</summary>
public sealed partial class HostMeterService(HostMeter hostMeter, ILogger<HostMeterService> logger) : IHostedService
{
    public NvmlGpuMeter? Gpu { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Gpu = NvmlGpuMeter.TryCreate(hostMeter.Meter, out var reason);
        LogGpu(logger, reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "GPU metrics: {Reason}")]
    private static partial void LogGpu(ILogger logger, string reason);
}
