using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fer.Inference.Models;

/// <summary>Ready while a model serves; otherwise says why not (nothing published, loading, refused, source down).</summary>
public sealed class ModelReadinessHealthCheck(ModelHolder holder, ModelReloader reloader) : IHealthCheck
{
    public const string Name = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = reloader.Status;
        var data = new Dictionary<string, object>();
        if (status.RefusedKey is { } refused) data["refused"] = $"{refused}: {status.RefusedBecause}";
        if (status.SourceProblem is { } problem) data["source"] = problem;
        if (holder.Current is { } model)
        {
            data["version"] = model.Version;
            return Task.FromResult(HealthCheckResult.Healthy($"serving model {model.Version}", data));
        }
        var why = $"{reloader.DescribeNotReady()} (source: {reloader.SourceDescription})";
        return Task.FromResult(HealthCheckResult.Unhealthy(why, data: data));
    }
}
