using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fer.Gateway.Limits;

/// <summary>
/// Refuses a declared oversized body up front with a 413 ProblemDetails, and caps undeclared (chunked) bodies through
/// Kestrel's per-request limit, so the gateway never streams more than the limit to a replica.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptionsMonitor<LimitsOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            // The body is never read, and Kestrel closes a connection whose body had not fully arrived when the response
            // ended: saying so stops a client from sending its next request down a connection about to close.
            context.Response.Headers.Connection = "close";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
