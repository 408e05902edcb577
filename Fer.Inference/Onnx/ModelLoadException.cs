namespace Fer.Inference.Onnx;

/// <summary>A model version that cannot serve: bad bytes, a graph ONNX Runtime refuses, or a broken contract.</summary>
public sealed class ModelLoadException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A short machine-readable cause (metric tag): checksum, graph, contract, warmup, fetch.</summary>
    public string Reason { get; } = reason;
}
