using Fer.Registry.Errors;
using Fer.Registry.Rollouts;
using Fer.ServiceDefaults.Security;
using Fer.Trainer.Rollouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Apis;

/// <summary>Safe rollout over HTTP: start one for a published version, see it live (its step, the evidence of every
/// replica added up, the gates' view and every decision), abort it.</summary>
public static class RolloutApi
{
    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/models").WithTags("Rollout"));
        api.MapGet("/rollout", GetRollout).WithName("GetRollout")
            .WithSummary("The rollout in progress (null: none), its evidence per version, what the gates say now, and the latest decisions");
        api.MapPost("/{version}/rollout", StartRollout).WithName("StartRollout")
            .WithSummary("Put a published version in rollout: shadow, then canary at growing shares, then production, gated on live evidence")
            .RequireAdminKey();
        api.MapPost("/rollout/abort", AbortRollout).WithName("AbortRollout").WithSummary("End the rollout now; production stays").RequireAdminKey();
        return app;
    }

    public static async Task<Ok<RolloutResponse>> GetRollout(RolloutRegistry rollouts, Fer.Registry.ModelRegistry registry, TimeProvider time)
    {
        var rollout = await rollouts.GetAsync();
        var decisions = await rollouts.GetDecisionsAsync(20);
        if (rollout is null) return TypedResults.Ok(new RolloutResponse(null, [], null, decisions));
        var evidence = await rollouts.ReadEvidenceAsync(rollout.Id, rollout.Step);
        var gates = RolloutGatekeeper.Decide(rollout, evidence, null, null, time.GetUtcNow());
        return TypedResults.Ok(new RolloutResponse(rollout, [.. evidence.Values.Select(EvidenceSummary.Of)], gates.Reason, decisions));
    }

    public static async Task<Results<Created<Rollout>, ProblemHttpResult>> StartRollout(string version, RolloutRegistry rollouts,
        CancellationToken cancellationToken)
    {
        try
        {
            var rollout = await rollouts.StartAsync(version, reason: "started through the trainer's models API", cancellationToken: cancellationToken);
            return TypedResults.Created("/models/rollout", rollout);
        }
        catch (ModelVersionNotFoundException e)
        {
            return Problem(StatusCodes.Status404NotFound, "Model version not found", e);
        }
        catch (ModelPromotionRefusedException e)
        {
            return Problem(StatusCodes.Status409Conflict, "Model version is damaged", e);
        }
        catch (RolloutConflictException e)
        {
            return Problem(StatusCodes.Status409Conflict, "Rollout not started", e);
        }
    }

    public static async Task<Results<Ok<RolloutDecision>, ProblemHttpResult>> AbortRollout(RolloutRegistry rollouts)
    {
        try
        {
            return TypedResults.Ok(await rollouts.AbortAsync("aborted through the trainer's models API"));
        }
        catch (RolloutConflictException e)
        {
            return Problem(StatusCodes.Status409Conflict, "No rollout to abort", e);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, ModelRegistryException e) => TypedResults.Problem(
        title: title, detail: e.Message, statusCode: status, extensions: new Dictionary<string, object?> { ["version"] = e.Version });
}
