namespace Fer.AppHost.Supervision;

/// <summary>Asks a running replica whether it is ready.</summary>
public interface IHealthProbe
{
    Task<HealthResult> ProbeAsync(CancellationToken cancellationToken);
}
