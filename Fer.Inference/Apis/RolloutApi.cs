using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;

namespace Fer.Inference.Apis;

/// <summary>What this replica serves beside production, and the live evidence per version since the rollout's step began.</summary>
public static class RolloutApi
{
    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rollout", GetRollout).WithName("ReplicaRollout").WithTags("Rollout")
            .WithSummary("The rollout this replica serves (null: none) and its evidence per model version");
        return app;
    }

    private static IResult GetRollout(CandidateModel candidate, RolloutEvidence evidence) => TypedResults.Ok(new
    {
        rollout = candidate.Target,
        candidateLoaded = candidate.Holder.Current?.Version,
        evidence = evidence.Snapshot(candidate.Target is { } target ? RolloutEvidence.StepOf(target) : null).Select(v => new
        {
            v.Version, v.Role, v.Requests, v.Errors, v.ErrorRate, v.Faces, v.MeanConfidence, v.Classes,
            latencyP50 = v.Latency(0.5), latencyP95 = v.Latency(0.95), latencyP99 = v.Latency(0.99),
            v.ComparedFaces, v.Agreement, v.Disagreements, v.ShadowDropped,
        }),
    });
}
