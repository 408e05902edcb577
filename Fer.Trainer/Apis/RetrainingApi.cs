using Fer.ServiceDefaults.Security;
using Fer.Trainer.Retraining;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Apis;

/// <summary>The retraining policy (docs/feedback.md): read it with the last run it started and its recent decisions;
/// set it with the admin key.</summary>
public static class RetrainingApi
{
    public const int ShownDecisions = 20;

    public static IEndpointRouteBuilder MapRetrainingApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/feedback/policy").WithTags("Feedback"));
        api.MapGet("/", GetPolicy).WithName("GetRetrainingPolicy")
            .WithSummary("The retraining policy, the last run it started, the labels since, and its recent decisions with their reasons");
        api.MapPut("/", SetPolicy).WithName("SetRetrainingPolicy")
            .WithSummary("Set the retraining policy: enabled, newLabels, interval, driftHold, coolDown, training (a POST /train body); admin key")
            .Accepts<RetrainingPolicy>("application/json").RequireAdminKey();
        return app;
    }

    public static async Task<Ok<RetrainingView>> GetPolicy(RetrainingStore store)
    {
        var (_, last) = await store.GetStateAsync();
        return TypedResults.Ok(new RetrainingView(await store.GetPolicyAsync(), last,
            await store.CountLabelsSinceAsync(last?.LastTriggerAt), await store.GetDecisionsAsync(ShownDecisions)));
    }

    public static async Task<Results<Ok<RetrainingPolicy>, ValidationProblem>> SetPolicy(
        HttpRequest request, RetrainingPolicyParser parser, RetrainingStore store, CancellationToken cancellationToken)
    {
        var (policy, errors) = await parser.ParseAsync(request.Body, cancellationToken);
        if (policy is null)
            return TypedResults.ValidationProblem(errors, title: "Invalid retraining policy",
                detail: string.Join(" ", errors.Values.SelectMany(messages => messages)));
        await store.SetPolicyAsync(policy);
        return TypedResults.Ok(policy);
    }
}
