using Fer.Registry.Monitoring;
using Fer.Trainer.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Monitoring;

/// <summary><c>GET /models/drift</c>: drift per model version over every replica that reported in the last
/// <see cref="DriftRegistry.Stale"/> (through the gateway like the rest of <c>/models</c>).</summary>
public static class DriftApi
{
    public static IEndpointRouteBuilder MapDriftApi(this IEndpointRouteBuilder app)
    {
        RedisUnavailable.RequireRedis(app.MapGroup("/models").WithTags("Monitoring"))
            .MapGet("/drift", GetDrift).WithName("GetDrift")
            .WithSummary("Drift alarms, scores and the label-free accuracy estimate per model version, over every replica");
        return app;
    }

    public static async Task<Ok<DriftOverview>> GetDrift(DriftRegistry drift) => TypedResults.Ok(DriftOverview.Of(await drift.ReadAsync()));
}
