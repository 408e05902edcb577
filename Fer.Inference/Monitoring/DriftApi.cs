using Fer.Registry.Monitoring;

namespace Fer.Inference.Monitoring;

/// <summary><c>GET /drift</c>: this replica's drift per model version (the whole system's, every replica's, is the
/// trainer's <c>GET /models/drift</c>).</summary>
public static class DriftApi
{
    public static IEndpointRouteBuilder MapDriftApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/drift", GetDrift).WithName("ReplicaDrift").WithTags("Monitoring")
            .WithSummary("Drift scores, alarms and the label-free accuracy estimate per model version on this replica");
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<IReadOnlyList<VersionDrift>> GetDrift(DriftMonitor monitor) => TypedResults.Ok(monitor.Snapshot());
}
