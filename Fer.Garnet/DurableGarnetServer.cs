using Garnet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Garnet;

/// <summary>
/// Garnet configured to keep its data: every write goes to the append-only file (replayed on start with the last
/// checkpoint), and the log has an on-disk tier, so a value that does not fit in memory is paged out instead of
/// being dropped as memory-only Garnet does.
/// </summary>
public sealed partial class DurableGarnetServer(IOptions<GarnetHostOptions> options, ILogger<DurableGarnetServer> logger) : IHostedService, IDisposable
{
    private GarnetServer? server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var data = Path.GetFullPath(settings.DataDirectory);
        var checkpoints = Directory.CreateDirectory(Path.Combine(data, "checkpoints")).FullName;
        var log = Directory.CreateDirectory(Path.Combine(data, "log")).FullName;
        server = new GarnetServer(
        [
            "--bind", settings.Bind,
            "--port", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--memory", settings.MemorySize,
            "--index", "16m",
            "--storage-tier", "--logdir", log,
            "--checkpointdir", checkpoints,
            "--aof", "--recover",
            // .NET file I/O: Garnet's native Linux device needs libaio, which Debian 12 names differently than it expects.
            "--device-type", "RandomAccess",
        ]);
        server.Start();
        LogListening(logger, settings.Bind, settings.Port, data, settings.MemorySize);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        server?.Dispose();
        server = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Garnet listening on {Bind}:{Port}, data in {DataDirectory} (append-only file on, recovered at start; {MemorySize} in memory, the rest on disk)")]
    private static partial void LogListening(ILogger logger, string bind, int port, string dataDirectory, string memorySize);
}
