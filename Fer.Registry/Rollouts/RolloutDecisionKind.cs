using System.Text.Json.Serialization;

namespace Fer.Registry.Rollouts;

[JsonConverter(typeof(JsonStringEnumConverter<RolloutDecisionKind>))]
public enum RolloutDecisionKind
{
    [JsonStringEnumMemberName("started")]
    Started,

    [JsonStringEnumMemberName("advanced")]
    Advanced,

    [JsonStringEnumMemberName("promoted")]
    Promoted,

    [JsonStringEnumMemberName("rolledBack")]
    RolledBack,

    [JsonStringEnumMemberName("aborted")]
    Aborted,
}
