using System.Text.Json.Serialization;

namespace Fer.Training.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<FeatureCacheMode>))]
public enum FeatureCacheMode
{
    /// <summary>Cache the frozen part's output whenever it is valid (flip-only augmentation) and fits the memory bound.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>Always run the whole network on every batch.</summary>
    [JsonStringEnumMemberName("off")]
    Off,
}
