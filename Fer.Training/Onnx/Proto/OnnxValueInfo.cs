namespace Fer.Training.Onnx.Proto;

/// <summary>A graph input or output: name, element type and shape.</summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDimension> Shape, string DocString = "");
