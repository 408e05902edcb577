namespace Fer.Inference.Apis;

internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Prediction failed unexpectedly on {Path}")]
    public static partial void PredictionFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "JPEG decoding: {Decoder}")]
    public static partial void LogJpegDecoder(this ILogger logger, string decoder);
}
