using Microsoft.Extensions.Logging;

namespace Fer.Training.Runs;

internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void RunLine(ILogger logger, string line);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Phase {Phase} epoch {Epoch}: train loss {TrainLoss:F4}, val loss {ValidationLoss:F4}, val accuracy {ValidationAccuracy:P2}, val macro-F1 {ValidationMacroF1:F4}, {ImagesPerSecond:F0} images/s")]
    public static partial void EpochDone(ILogger logger, int phase, int epoch, double trainLoss, double validationLoss,
        double validationAccuracy, double validationMacroF1, double imagesPerSecond);
}
