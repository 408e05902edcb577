using System.Text.Json.Serialization;

namespace Fer.Registry.Rollouts;

/// <summary>How a candidate meets traffic: <see cref="Shadow"/> sees a share of requests and its answers are recorded,
/// never returned; <see cref="Canary"/> answers a share of requests.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutMode>))]
public enum RolloutMode
{
    [JsonStringEnumMemberName("shadow")]
    Shadow,

    [JsonStringEnumMemberName("canary")]
    Canary,
}
