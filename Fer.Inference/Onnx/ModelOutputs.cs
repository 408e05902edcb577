namespace Fer.Inference.Onnx;

/// <summary>One run's outputs, copied out of ONNX Runtime's buffers: row-major [batch, classes].</summary>
public sealed record ModelOutputs(int BatchSize, int Classes, float[] Probabilities, float[]? Logits);
