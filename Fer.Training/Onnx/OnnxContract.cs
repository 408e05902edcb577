using Fer.Training.Data;

namespace Fer.Training.Onnx;

/// <summary>The fixed parts of the exported model's contract (architecture.md, "The model contract").</summary>
public static class OnnxContract
{
    /// <summary>Opset 17 with IR version 8: new enough for everything we emit, and the newest pair that Debian's
    /// python3-onnx 1.12 checker (our independent verifier) knows; ONNX Runtime loads it.</summary>
    public const long Opset = 17;
    public const long IrVersion = 8;

    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";
    public const string BatchDimension = "N";

    public const int CropSize = 48;
    public const string Backbone = "efficientnet_v2_s";

    /// <summary>FER2013's classes in code order 0..6.</summary>
    public static readonly IReadOnlyList<string> Labels = EmotionClasses.Names;
}
