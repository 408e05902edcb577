using System.Text.Json.Serialization;

namespace Fer.Trainer.Jobs;

/// <summary>A job's life: queued -> running -> one of succeeded, failed, cancelled (final).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainJobState>))]
public enum TrainJobState
{
    [JsonStringEnumMemberName("queued")]
    Queued,

    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
