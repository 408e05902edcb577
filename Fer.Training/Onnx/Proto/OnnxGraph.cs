namespace Fer.Training.Onnx.Proto;

/// <summary>A graph: nodes in topological order, initializers, inputs and outputs.</summary>
public sealed record OnnxGraph(
    string Name,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs);
