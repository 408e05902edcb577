namespace Fer.Registry.Errors;

/// <summary>One of a version's chunks is gone.</summary>
public sealed class ModelChunkMissingException(string version, int chunkIndex, int chunkCount)
    : ModelIntegrityException($"model version '{version}' is damaged: chunk {chunkIndex} of {chunkCount} is missing", version)
{
    public int ChunkIndex { get; } = chunkIndex;
    public int ChunkCount { get; } = chunkCount;
}
