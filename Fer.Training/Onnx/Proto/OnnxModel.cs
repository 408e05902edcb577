namespace Fer.Training.Onnx.Proto;

/// <summary>A whole model file: IR version, the default-domain opset, producer, the graph and string metadata.</summary>
public sealed record OnnxModel(
    long IrVersion,
    long Opset,
    string ProducerName,
    string ProducerVersion,
    string Domain,
    long ModelVersion,
    string DocString,
    OnnxGraph Graph,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
