using System.Text.Json.Serialization;

namespace Fer.AppHost.Supervision;

[JsonConverter(typeof(JsonStringEnumConverter<ReplicaState>))]
public enum ReplicaState
{
    /// <summary>Waiting for the resources it depends on to be healthy.</summary>
    Waiting,
    Starting,
    Running,
    /// <summary>Exited on its own; a restart is scheduled (backoff).</summary>
    Restarting,
    /// <summary>Could not be started; retried with backoff.</summary>
    FailedToStart,
    Stopping,
    Stopped,
}
