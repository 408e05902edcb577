namespace Fer.Registry.Model;

/// <summary>A complete version's metadata, as stored in its metadata hash.</summary>
public sealed record ModelVersionInfo
{
    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string MetricsJson { get; init; }
    public required int ImageSize { get; init; }
    public required string DatasetFingerprint { get; init; }
    public required string TrainingOptionsJson { get; init; }
    public string? ParentVersion { get; init; }
    public required long SizeBytes { get; init; }
    public required int ChunkCount { get; init; }
    public required int ChunkSizeBytes { get; init; }

    /// <summary>SHA-256 of the whole ONNX file, lower-case hex.</summary>
    public required string Sha256 { get; init; }
}
