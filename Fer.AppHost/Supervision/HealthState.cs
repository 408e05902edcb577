using System.Text.Json.Serialization;

namespace Fer.AppHost.Supervision;

[JsonConverter(typeof(JsonStringEnumConverter<HealthState>))]
public enum HealthState
{
    Unknown,
    Healthy,
    Unhealthy,
}
