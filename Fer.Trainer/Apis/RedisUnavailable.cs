using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Fer.Trainer.Apis;

/// <summary>
/// With Redis down, the registry and job API answer 503 + <c>Retry-After</c> at once, saying what is missing, instead of
/// a 500 after StackExchange.Redis's 5 s timeout (issue 15, finding 5): endpoints that need Redis check the connection
/// first, and a Redis failure mid-request (a hung server, a timeout) becomes the same 503.
/// </summary>
public sealed class RedisUnavailable(IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;
    public const string Title = "Redis unavailable";
    public const string Detail = "The trainer cannot reach Redis, which holds the model registry and the training jobs; try again shortly.";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (RedisException or RedisTimeoutException)) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        SetRetryAfter(context.Response);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = Title, Detail = Detail },
        });
    }

    /// <summary>The group's endpoints answer 503 at once while the connection to Redis is down.</summary>
    public static TBuilder RequireRedis<TBuilder>(TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.RequestServices.GetRequiredService<IConnectionMultiplexer>().IsConnected) return await next(context);
            SetRetryAfter(context.HttpContext.Response);
            return TypedResults.Problem(title: Title, detail: Detail, statusCode: StatusCodes.Status503ServiceUnavailable);
        });

    private static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
