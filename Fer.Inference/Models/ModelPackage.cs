namespace Fer.Inference.Models;

/// <summary>A model as its source hands it over: the bytes, the checksum they must have (when the source knows it), and
/// the version to report (null: use the version in the file's metadata).</summary>
public sealed record ModelPackage(string SourceKey, string? Version, byte[] Bytes, string? Sha256);
