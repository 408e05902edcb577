using System.Text.Json.Serialization;

namespace Fer.Training.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<AugmentationMode>))]
public enum AugmentationMode
{
    /// <summary>Flips only while part of the network is frozen (so its output can be cached), full augmentation when
    /// every layer trains.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>Flip, affine and brightness/contrast jitter in every phase (the feature cache cannot be used).</summary>
    [JsonStringEnumMemberName("full")]
    Full,

    /// <summary>Horizontal flips only.</summary>
    [JsonStringEnumMemberName("flip")]
    Flip,

    /// <summary>No augmentation.</summary>
    [JsonStringEnumMemberName("none")]
    None,
}
