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
}
