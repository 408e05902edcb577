using System.Text.Json.Serialization;

namespace Fer.Registry.Model;

public enum ProductionChangeKind
{
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    [JsonStringEnumMemberName("rolledBack")]
    RolledBack,

    /// <summary>A version went into rollout beside production (<c>Version</c> the candidate, <c>PreviousVersion</c> production).</summary>
    [JsonStringEnumMemberName("rolloutStarted")]
    RolloutStarted,

    /// <summary>The rollout moved to another step.</summary>
    [JsonStringEnumMemberName("rolloutChanged")]
    RolloutChanged,

    /// <summary>The rollout ended (promoted, rolled back or aborted: the reason says which).</summary>
    [JsonStringEnumMemberName("rolloutEnded")]
    RolloutEnded,
}
