namespace Fer.Registry.Model;

/// <summary>A version read back whole and verified against its SHA-256.</summary>
public sealed record ModelArtifact(ModelVersionInfo Info, byte[] Onnx);
