using Fer.Contracts;

namespace Fer.Trainer.Jobs;

/// <summary>What a finished training run hands to the registry.</summary>
/// <param name="Onnx">The exported model.</param>
/// <param name="Metrics">The run's metrics document; <see cref="ModelMetrics.ValMacroF1"/> is what the if-better
/// promotion policy compares.</param>
/// <param name="DatasetFingerprint">The fingerprint of the training data, as the run computed it.</param>
public sealed record TrainedModel(
    byte[] Onnx,
    ModelMetrics Metrics,
    int ImageSize,
    string DatasetFingerprint,
    string RunDirectory)
{
    /// <summary>The best validation macro-F1 (0 when the run recorded none).</summary>
    public double ValidationMacroF1 => Metrics.ValMacroF1 ?? 0;
}
