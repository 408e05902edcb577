namespace Fer.AppHost.Supervision;

public enum HealthState
{
    Unknown,
    Healthy,
    Unhealthy,
}
