namespace Fer.Training.Onnx;

/// <summary>What one run of an exported model gives: row-major [batch, classes] logits and probabilities.</summary>
public sealed record OnnxRuntimeOutputs(float[] Logits, float[] Probabilities, int Batch, int Classes);
