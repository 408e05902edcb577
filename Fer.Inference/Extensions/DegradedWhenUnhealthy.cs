using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fer.Inference.Extensions;

/// <summary>Reports a dependency the service can serve without (the registry's Redis) as Degraded instead of Unhealthy,
/// so a replica with a model stays ready, and in the load balancer, while Redis is down.</summary>
internal sealed class DegradedWhenUnhealthy(IHealthCheck inner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await inner.CheckHealthAsync(context, cancellationToken);
        return result.Status == HealthStatus.Unhealthy
            ? new HealthCheckResult(HealthStatus.Degraded, $"{result.Description}; serving does not depend on it", result.Exception, result.Data)
            : result;
    }
}
