using Fer.Training.Torch;

namespace Fer.Trainer.Torch;

/// <summary>Loads libtorch and runs its self-check in the background at start-up, so the first /health is quick.</summary>
public sealed partial class TorchWarmup(ILogger<TorchWarmup> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            LogReady(logger, TorchRuntime.Initialize().Describe());
        }
        catch (Exception e)
        {
            LogFailed(logger, e.Message);
        }
    }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "libtorch ready: {Description}")]
    private static partial void LogReady(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Critical, Message = "libtorch is not usable: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
