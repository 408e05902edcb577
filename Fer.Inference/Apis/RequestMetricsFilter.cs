using Fer.Inference.Telemetry;

namespace Fer.Inference.Apis;

/// <summary>Counts every prediction request by outcome and records its duration, whatever the handler answered.</summary>
internal sealed class RequestMetricsFilter(InferenceTelemetry telemetry, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = time.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await next(context);
            outcome = Outcome(result);
            return result;
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            telemetry.RecordRequest(outcome, (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText, time.GetElapsedTime(started));
        }
    }

    private static string Outcome(object? result)
    {
        if (result is INestedHttpResult nested) result = nested.Result;
        return Outcome(result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK);
    }

    /// <summary>The outcome a response of this status is counted under (also /predict's, <see cref="PredictEndpoint"/>).</summary>
    public static string Outcome(int status) =>
        status switch
        {
            < 300 => "ok",
            StatusCodes.Status400BadRequest => "bad_request",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status413PayloadTooLarge => "too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            StatusCodes.Status429TooManyRequests => "overloaded",
            StatusCodes.Status503ServiceUnavailable => "not_ready",
            _ => "error",
        };
}
