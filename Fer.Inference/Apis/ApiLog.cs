namespace Fer.Inference.Apis;

internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Prediction failed unexpectedly on {Path}")]
    public static partial void PredictionFailed(ILogger logger, Exception exception, string path);
}
