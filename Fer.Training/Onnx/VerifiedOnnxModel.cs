namespace Fer.Training.Onnx;

/// <summary>An export that passed the parity gate: the ONNX bytes, what they say about themselves, and the measurements.</summary>
public sealed record VerifiedOnnxModel(byte[] Bytes, OnnxModelInfo Info, ParityReport Parity);
