namespace Fer.Inference.Batching;

/// <summary>A batch failed on model <see cref="Version"/> (its run threw). The client's 500 names the version: during a
/// canary it tells the caller and the operator which of the two versions failed.</summary>
public sealed class ModelRunException(string version, Exception inner) : Exception($"model {version} failed: {inner.Message}", inner)
{
    public string Version { get; } = version;
}
