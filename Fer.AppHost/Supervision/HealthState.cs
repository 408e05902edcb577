using System.Text.Json.Serialization;

namespace Fer.AppHost.Supervision;

[JsonConverter(typeof(JsonStringEnumConverter<HealthState>))]
public enum HealthState
{
    Unknown,
    Healthy,

    /// <summary>Alive (/alive answers) but not ready (/health does not), e.g. inference before the first model is
    /// published. It counts as up: dependents start, since they may be what makes it ready (the gateway that
    /// starts the first training run).</summary>
    NotReady,

    Unhealthy,
}
