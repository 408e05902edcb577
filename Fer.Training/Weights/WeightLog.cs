using Microsoft.Extensions.Logging;

namespace Fer.Training.Weights;

internal static partial class WeightLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Weight file {Path} has SHA-256 {Sha256}, not the official torchvision efficientnet_v2_s weights ({Official}); importing it anyway")]
    public static partial void UnofficialWeights(ILogger logger, string path, string sha256, string official);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Imported {Tensors} backbone tensors ({Values} values) from {Path} ({Format}); ignored {Ignored} head tensors")]
    public static partial void Imported(ILogger logger, int tensors, long values, string path, WeightFileFormat format, int ignored);
}
