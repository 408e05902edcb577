namespace Fer.Training.Onnx.Proto;

/// <summary>One operator application in the default ("ai.onnx") domain. An empty input name marks an omitted optional input.</summary>
public sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);
