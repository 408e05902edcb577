namespace Fer.Trainer.Jobs;

internal static partial class TrainJobLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} queued: {Options}")]
    public static partial void Queued(this ILogger logger, string jobId, TrainJobOptions options);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} running on {DataPath}")]
    public static partial void Running(this ILogger logger, string jobId, string dataPath);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Training job {JobId} phase {Phase} epoch {Epoch}: train loss {TrainLoss:F4}, val loss {ValidationLoss:F4}, val accuracy {ValidationAccuracy:F4}, val macro-F1 {ValidationMacroF1:F4}, {Seconds:F1} s")]
    public static partial void Epoch(this ILogger logger, string jobId, int phase, int epoch, double trainLoss, double validationLoss,
        double validationAccuracy, double validationMacroF1, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} published model version {Version} (val macro-F1 {ValidationMacroF1:F4}); promoted: {Promoted} ({Reason})")]
    public static partial void Published(this ILogger logger, string jobId, string version, double validationMacroF1, bool promoted, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} ended {State} after {Seconds:F1} s")]
    public static partial void Ended(this ILogger logger, string jobId, string state, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {JobId} failed: {Error}")]
    public static partial void Failed(this ILogger logger, Exception exception, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {JobId} could not be saved to Redis")]
    public static partial void SaveFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} training job(s) of an earlier trainer as failed (interrupted): {JobIds}")]
    public static partial void MarkedInterrupted(this ILogger logger, int count, string jobIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check Redis for interrupted training jobs; retrying")]
    public static partial void RecoveryRetry(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId}: cancel requested ({Reason})")]
    public static partial void CancelRequested(this ILogger logger, string jobId, string reason);
}
