using System.ComponentModel.DataAnnotations;

namespace Fer.Registry;

/// <summary>Settings of the model registry, bound from the "Registry" configuration section and checked from the data
/// annotations below; each message names its key.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";
    private const string Key = SectionName + ":";
    public const int MinChunkSizeBytes = 1024;
    public const int MaxChunkSizeBytes = 64 * 1024 * 1024;

    /// <summary>Every key and channel starts with this prefix and a colon, so several registries can share a server.</summary>
    [Required(ErrorMessage = Key + nameof(KeyPrefix) + " must be a non-empty string without whitespace")]
    [RegularExpression(@"\S+", ErrorMessage = Key + nameof(KeyPrefix) + " must be a non-empty string without whitespace")]
    public string KeyPrefix { get; set; } = "fer";

    /// <summary>Size of one ONNX chunk; the last chunk of a version may be shorter.</summary>
    [Range(MinChunkSizeBytes, MaxChunkSizeBytes, ErrorMessage = Key + nameof(ChunkSizeBytes) + " must be between {1} and {2}")]
    public int ChunkSizeBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How many of the newest versions retention keeps (production and the rollback target are kept besides).</summary>
    [Range(1, int.MaxValue, ErrorMessage = Key + nameof(RetainVersions) + " must be at least 1")]
    public int RetainVersions { get; set; } = 10;

    /// <summary>Whether every publish ends with a retention pass.</summary>
    public bool ApplyRetentionOnPublish { get; set; } = true;

    /// <summary>
    /// Chunks of a version that is still being written expire after this long; finishing the publish removes the expiry.
    /// A publisher that crashes half way therefore leaves nothing behind for long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "10675199.02:48:05.4775807", ErrorMessage = Key + nameof(PendingChunkTtl) + " must be at least one second")]
    public TimeSpan PendingChunkTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many chunk reads or writes one publish or fetch keeps in flight.</summary>
    [Range(1, 256, ErrorMessage = Key + nameof(MaxChunksInFlight) + " must be between {1} and {2}")]
    public int MaxChunksInFlight { get; set; } = 8;

    /// <summary>Length cap of the production history list and of the production event log.</summary>
    [Range(2, int.MaxValue, ErrorMessage = Key + nameof(HistoryLimit) + " must be at least 2")]
    public int HistoryLimit { get; set; } = 100;
}
