namespace Fer.Training.Onnx;

/// <summary>An export that ONNX Runtime does not reproduce within tolerance; carries the measured numbers.</summary>
public sealed class OnnxParityException(ParityReport report)
    : Exception($"ONNX export rejected: {report.Summary()}{(report.Diagnosis() is { } why ? $"; {why}" : "")}.{Environment.NewLine}{report.Table()}")
{
    public ParityReport Report { get; } = report;
}
