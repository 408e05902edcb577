using Fer.Training.Torch;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fer.Trainer.Torch;

/// <summary>Ready once libtorch has loaded and passed its convolution self-check.</summary>
public sealed class TorchHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(HealthCheckResult.Healthy(TorchRuntime.Initialize().Describe()));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message, e));
        }
    }
}
