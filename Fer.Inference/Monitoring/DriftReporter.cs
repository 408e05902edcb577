using Fer.Inference.Models;
using Fer.Registry.Monitoring;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Monitoring;

/// <summary>Writes this replica's drift to the registry's Redis (<see cref="DriftRegistry"/>) on the evidence
/// publisher's beat, so the trainer, the page and the AppHost see every replica's. A replica serving a file has no
/// registry and reports nothing; a report that cannot be written is skipped (the next one carries the same).</summary>
public sealed partial class DriftReporter(
    DriftMonitor monitor,
    IOptions<ReloadOptions> reload,
    IServiceProvider services,
    TimeProvider time,
    ILogger<DriftReporter> logger)
{
    public async Task ReportAsync(string replica)
    {
        if (reload.Value.File is not null) return;
        var versions = monitor.Snapshot();
        if (versions.Count == 0) return;
        try
        {
            await services.GetRequiredService<DriftRegistry>().ReportAsync(new DriftReport(replica, time.GetUtcNow(), versions));
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or TaskCanceledException)
        {
            LogReportFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report drift to the registry ({Error}); the next report carries it")]
    private static partial void LogReportFailed(ILogger logger, string error);
}
