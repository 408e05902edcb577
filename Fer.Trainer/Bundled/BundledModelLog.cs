using Microsoft.Extensions.Logging;

namespace Fer.Trainer.Bundled;

internal static partial class BundledModelLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "No bundled model in {Directory}: the registry is left as it is")]
    public static partial void NoBundledModel(this ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "The registry's production version is {Version}: the bundled model is not needed")]
    public static partial void ProductionExists(this ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another trainer is seeding the registry with the bundled model")]
    public static partial void SeedingElsewhere(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The registry is not reachable yet ({Reason}); the bundled model will be offered again in {Delay}")]
    public static partial void RegistryUnavailable(this ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundled model {Version} (sha256 {Sha256}) {Action} and promoted: the registry had no production version")]
    public static partial void Seeded(this ILogger logger, string version, string sha256, string action);
}
