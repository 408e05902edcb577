using Microsoft.Extensions.Logging;

namespace Fer.Registry.Telemetry;

internal static partial class RegistryLog
{
    [LoggerMessage(1, LogLevel.Information, "Published model {Version}: {SizeBytes} bytes in {ChunkCount} chunks, sha256 {Sha256}, in {ElapsedMs:F0} ms")]
    public static partial void Published(this ILogger logger, string version, long sizeBytes, int chunkCount, string sha256, double elapsedMs);

    [LoggerMessage(2, LogLevel.Debug, "Fetched model {Version}: {SizeBytes} bytes verified in {ElapsedMs:F0} ms")]
    public static partial void Fetched(this ILogger logger, string version, long sizeBytes, double elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "Reading model {Version} failed: {Problem}")]
    public static partial void FetchFailed(this ILogger logger, string version, string problem);

    [LoggerMessage(4, LogLevel.Information, "Promoted model {Version} to production (previous {PreviousVersion}, reason {Reason})")]
    public static partial void Promoted(this ILogger logger, string version, string? previousVersion, string? reason);

    [LoggerMessage(5, LogLevel.Information, "Rolled production back to model {Version} (from {PreviousVersion}, reason {Reason})")]
    public static partial void RolledBack(this ILogger logger, string version, string? previousVersion, string? reason);

    [LoggerMessage(6, LogLevel.Information, "Retention removed model {Version}")]
    public static partial void RetentionDeleted(this ILogger logger, string version);

    [LoggerMessage(7, LogLevel.Warning, "Announcing the production change to {Version} failed; subscribers will catch up from the production pointer")]
    public static partial void AnnounceFailed(this ILogger logger, Exception exception, string version);

    [LoggerMessage(8, LogLevel.Warning, "Ignored a malformed production announcement: {Payload}")]
    public static partial void MalformedAnnouncement(this ILogger logger, string? payload);

    [LoggerMessage(9, LogLevel.Error, "A production-change subscriber failed on the change to {Version}")]
    public static partial void SubscriberFailed(this ILogger logger, Exception exception, string version);

    [LoggerMessage(11, LogLevel.Warning, "Retention skipped model {Version}: {Problem}")]
    public static partial void RetentionSkipped(this ILogger logger, string version, string problem);

    [LoggerMessage(10, LogLevel.Warning, "Retention after publishing {Version} failed; the next publish retries it")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception, string version);
}
