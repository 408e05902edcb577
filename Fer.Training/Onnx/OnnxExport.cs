using Fer.Training.Networks;

namespace Fer.Training.Onnx;

/// <summary>The only way an export should leave the trainer: written, then accepted by the parity gate.</summary>
public static class OnnxExport
{
    /// <summary>Exports <paramref name="model"/> and checks it against TorchSharp on <paramref name="probe"/>;
    /// throws <see cref="OnnxParityException"/> with the measured errors when ONNX Runtime disagrees.</summary>
    public static VerifiedOnnxModel ExportVerified(FaceNetwork model, OnnxModelInfo info, ProbeBatch probe, double tolerance = OnnxParityGate.DefaultTolerance)
    {
        var bytes = OnnxExporter.Export(model, info);
        var parity = OnnxParityGate.Enforce(model, bytes, probe, tolerance);
        return new VerifiedOnnxModel(bytes, info, parity);
    }
}
