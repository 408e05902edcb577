using Fer.Contracts;
using Fer.Inference.Contracts;
using Fer.Inference.Feedback;
using Fer.Registry.Feedback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Inference.Apis;

/// <summary>POST /feedback: a user confirms or corrects the emotion of a face /predict answered. Only then is the face
/// kept (see docs/feedback.md); any replica takes the label, whichever answered.</summary>
public static class FeedbackApi
{
    public const string Route = "/feedback";

    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, GiveFeedback)
            .WithTags("Feedback")
            .WithName("GiveFeedback")
            .WithSummary("Label an answered face: its id from /predict's faces[].id and the right emotion; the face is kept only then")
            .WithDescription($"emotion: one of {string.Join(", ", EmotionLabels.Names)}. 404 when the id is unknown or older than the replica's feedback window.");
        return app;
    }

    public static async Task<Results<Ok<FeedbackReceipt>, ProblemHttpResult>> GiveFeedback(
        FeedbackRequest request, FeedbackDesk desk, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Id))
            return InferenceProblems.Problem(StatusCodes.Status400BadRequest, "No prediction id", "id must be a face's id from /predict (faces[].id)");
        if (request.Emotion is null || !EmotionLabels.TryParse(request.Emotion, out var label))
            return InferenceProblems.Problem(StatusCodes.Status400BadRequest, "Unknown emotion",
                $"emotion must be one of {string.Join(", ", EmotionLabels.Names)}, not '{request.Emotion}'");
        var emotion = EmotionLabels.Names[label];
        var result = await desk.SubmitAsync(request.Id, emotion, cancellationToken);
        return result switch
        {
            { Outcome: FeedbackOutcome.Stored, ModelVersion: { } version, AnsweredEmotion: { } answered } =>
                TypedResults.Ok(new FeedbackReceipt(request.Id, emotion, answered, version, result.Count)),
            { Outcome: FeedbackOutcome.Unknown } => InferenceProblems.Problem(StatusCodes.Status404NotFound, "Unknown prediction",
                $"no answered face '{request.Id}' is remembered: the id is wrong, or older than the feedback window, or its replica has restarted"),
            _ => InferenceProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Feedback store unavailable",
                "the label could not be stored now; try again shortly"),
        };
    }
}
