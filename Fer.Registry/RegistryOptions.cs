namespace Fer.Registry;

/// <summary>Settings of the model registry, bound from the "Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";
    public const int MinChunkSizeBytes = 1024;
    public const int MaxChunkSizeBytes = 64 * 1024 * 1024;

    /// <summary>Every key and channel starts with this prefix and a colon, so several registries can share a server.</summary>
    public string KeyPrefix { get; set; } = "fer";

    /// <summary>Size of one ONNX chunk; the last chunk of a version may be shorter.</summary>
    public int ChunkSizeBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How many of the newest versions retention keeps (production and the rollback target are kept besides).</summary>
    public int RetainVersions { get; set; } = 10;

    /// <summary>Whether every publish ends with a retention pass.</summary>
    public bool ApplyRetentionOnPublish { get; set; } = true;

    /// <summary>
    /// Chunks of a version that is still being written expire after this long; finishing the publish removes the expiry.
    /// A publisher that crashes half way therefore leaves nothing behind for long.
    /// </summary>
    public TimeSpan PendingChunkTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many chunk reads or writes one publish or fetch keeps in flight.</summary>
    public int MaxChunksInFlight { get; set; } = 8;

    /// <summary>Length cap of the production history list and of the production event log.</summary>
    public int HistoryLimit { get; set; } = 100;
}
