using System.Text.Json.Serialization;

namespace Fer.Trainer.Retraining;

/// <summary>What one look at the policy decided.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetrainingDecisionKind>))]
public enum RetrainingDecisionKind
{
    [JsonStringEnumMemberName("fired")]
    Fired,

    [JsonStringEnumMemberName("too-few-labels")]
    TooFewLabels,

    [JsonStringEnumMemberName("not-due")]
    NotDue,

    [JsonStringEnumMemberName("cooling-down")]
    CoolingDown,

    [JsonStringEnumMemberName("job-running")]
    JobRunning,

    /// <summary>The policy's training settings no longer pass <c>POST /train</c>'s checks (a weights file gone, say).</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,
}
