using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;

namespace Fer.Gateway.Proxy;

/// <summary>Turns YARP's bare error status codes into ProblemDetails that say which service failed and how, without
/// naming where it runs.</summary>
internal sealed partial class ProxyErrorMiddleware(RequestDelegate next, IProblemDetailsService problems, ILogger<ProxyErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted) return;

        var service = context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(ProxyRouteMetadata.Service) ?? "service";
        var (status, title, detail) = Describe(error, service);
        if (status >= StatusCodes.Status500InternalServerError)
            LogProxyError(logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, service, error.Error,
                error.Exception?.Message ?? "no exception", error.Exception);
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Describe(IForwarderErrorFeature error, string service) => error.Error switch
    {
        ForwarderError.NoAvailableDestinations =>
            (StatusCodes.Status503ServiceUnavailable, "Service unavailable", $"No {service} replica is available right now."),
        ForwarderError.RequestTimedOut =>
            (StatusCodes.Status504GatewayTimeout, "Gateway timeout", $"The {service} did not answer in time."),
        ForwarderError.RequestBodyClient when Find<BadHttpRequestException>(error.Exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge =>
            (StatusCodes.Status413PayloadTooLarge, "Request body too large", tooLarge.Message),
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled =>
            (StatusCodes.Status400BadRequest, "Request body incomplete", Find<BadHttpRequestException>(error.Exception)?.Message ?? "The request body could not be read to the end."),
        // The exception's text names the upstream address: it goes to the log, under the request id, not to the caller.
        _ => (StatusCodes.Status502BadGateway, "Bad gateway", $"The {service} could not be reached or broke off its answer (the gateway's log, under this request id, says why)."),
    };

    /// <summary>The first exception of type T anywhere in the tree (YARP reports body failures as an AggregateException).</summary>
    private static T? Find<T>(Exception? exception) where T : Exception => exception switch
    {
        null => null,
        T match => match,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(found => found is not null),
        _ => Find<T>(exception.InnerException),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} (request {RequestId}): the {Service} failed ({Error}): {Reason}")]
    private static partial void LogProxyError(ILogger logger, string method, string path, string requestId, string service,
        ForwarderError error, string reason, Exception? exception);
}
