namespace Fer.Training.Onnx;

/// <summary>The ONNX versions the exporter writes (the names and metadata are Fer.Contracts').</summary>
public static class OnnxContract
{
    /// <summary>Opset 17 with IR version 8: new enough for everything we emit, and the newest pair that Debian's
    /// python3-onnx 1.12 checker (our independent verifier) knows; ONNX Runtime loads it.</summary>
    public const long Opset = 17;
    public const long IrVersion = 8;
}
