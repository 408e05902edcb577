namespace Fer.AppHost.Supervision;

public sealed record HealthResult(HealthState State, string Description);
