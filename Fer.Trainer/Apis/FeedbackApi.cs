using Fer.Registry.Feedback;
using Fer.ServiceDefaults.Security;
using Fer.Trainer.Feedback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Trainer.Apis;

/// <summary>The feedback set users gave through POST /feedback (taken by the inference replicas): its count and content
/// hash, the accuracy it measures per version, and its download for an admin.</summary>
public static class FeedbackApi
{
    public const string HashHeader = "X-Fer-Feedback-Hash";

    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var api = RedisUnavailable.RequireRedis(app.MapGroup("/feedback").WithTags("Feedback"));
        api.MapGet("/", GetSummary).WithName("GetFeedback")
            .WithSummary("How many labels users gave, per emotion, the set's content hash and the store's bounds");
        api.MapGet("/accuracy", GetAccuracy).WithName("GetFeedbackAccuracy")
            .WithSummary("Per model version, the share of users' labels equal to what the version answered, with the count");
        api.MapGet("/export", Export).WithName("ExportFeedback")
            .WithSummary("The feedback set as a zip ({emotion}/{id}.png and feedback.json); its hash in X-Fer-Feedback-Hash (admin key)")
            .RequireAdminKey();
        return app;
    }

    public static async Task<Ok<FeedbackSummary>> GetSummary(FeedbackStore store) => TypedResults.Ok(await store.SummaryAsync());

    public static async Task<Ok<FeedbackAccuracy>> GetAccuracy(FeedbackStore store) => TypedResults.Ok(await store.AccuracyAsync());

    public static async Task<FileContentHttpResult> Export(FeedbackStore store, HttpResponse response)
    {
        var snapshot = await store.SnapshotAsync();
        response.Headers[HashHeader] = snapshot.Hash;
        return TypedResults.File(FeedbackExport.ToZip(snapshot), FeedbackExport.ContentType, $"feedback-{snapshot.Hash[..12]}.zip");
    }
}
