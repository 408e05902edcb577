using System.Text.Json.Serialization;

namespace Fer.Trainer.Jobs;

/// <summary>What happens to a job's published version.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromotionPolicy>))]
public enum PromotionPolicy
{
    /// <summary>Promote when its validation macro-F1 beats production's, or when nothing is in production yet.</summary>
    [JsonStringEnumMemberName("if-better")]
    IfBetter,

    [JsonStringEnumMemberName("always")]
    Always,

    [JsonStringEnumMemberName("never")]
    Never,

    /// <summary>Put it in a safe rollout beside production (shadow, canary, then production if every gate holds);
    /// promoted at once when nothing is in production yet.</summary>
    [JsonStringEnumMemberName("rollout")]
    Rollout,
}
