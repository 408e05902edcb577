using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Prediction;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fer.Inference.Apis;

/// <summary>Every way a prediction can fail, as a ProblemDetails that says what was wrong.</summary>
internal static class InferenceProblems
{
    public static ProblemHttpResult From(Exception exception, HttpContext context) => exception switch
    {
        RequestProblemException e => Problem(e.StatusCode, e.Title, e.Message),
        ImageDecodeException { Error: ImageDecodeError.TooManyPixels } e => Problem(StatusCodes.Status413PayloadTooLarge, "Image too large", e.Message),
        ImageDecodeException e => Problem(StatusCodes.Status400BadRequest, "Not a readable image", e.Message),
        QueueFullException e => RetryLater(context, Problem(StatusCodes.Status429TooManyRequests, "Overloaded", e.Message)),
        ModelNotReadyException e => RetryLater(context, Problem(StatusCodes.Status503ServiceUnavailable, "No model in service", e.Message)),
        MemoryBudgetBusyException e => RetryLater(context, Problem(StatusCodes.Status503ServiceUnavailable, "Memory budget busy", e.Message)),
        // The exception's own text stays in the log (with this response's traceId): it may name internals.
        ModelRunException e => Problem(StatusCodes.Status500InternalServerError, "Inference failed",
            $"model {e.Version} could not compute this request; the error is logged under this response's traceId",
            new Dictionary<string, object?> { ["modelVersion"] = e.Version }),
        _ => Problem(StatusCodes.Status500InternalServerError, "Inference failed",
            "the model could not compute this request; the error is logged under this response's traceId"),
    };

    public static bool IsExpected(Exception exception) =>
        exception is RequestProblemException or ImageDecodeException or QueueFullException or ModelNotReadyException or MemoryBudgetBusyException;

    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    private static ProblemHttpResult RetryLater(HttpContext context, ProblemHttpResult problem)
    {
        context.Response.Headers.RetryAfter = "1";
        return problem;
    }
}
