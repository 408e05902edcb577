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
        candidateRefused = candidate.Refusal?.Reason,
        evidence = evidence.Snapshot(candidate.Target is { } target ? RolloutEvidence.StepOf(target) : null).Select(EvidenceSummary.Of),
    });
}
