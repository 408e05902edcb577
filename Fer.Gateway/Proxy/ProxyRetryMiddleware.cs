using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Fer.Gateway.Proxy;

/// <summary>
/// Sends a failed request to another replica, but only where repeating it cannot do harm: the route allows retries
/// (the inference routes; never the trainer's), no response has started, and either nothing reached the replica (the
/// connection could not be opened, so even a POST never arrived) or the request is a safe method without a body.
/// Sits before load balancing in the proxy pipeline, so every attempt is balanced and reported to passive health.
/// </summary>
internal sealed partial class ProxyRetryMiddleware(RequestDelegate next, IOptionsMonitor<ProxyOptions> options, ILogger<ProxyRetryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (!RetriesAllowed(proxy.Route.Config.Metadata))
        {
            await next(context);
            return;
        }

        var candidates = proxy.AvailableDestinations;
        var failed = new List<DestinationState>();
        for (var attempt = 1; ; attempt++)
        {
            await next(context);

            var error = context.GetForwarderErrorFeature();
            if (error is null || context.Response.HasStarted || attempt >= options.CurrentValue.MaxAttempts || !IsSafeToRepeat(context.Request, error))
                return;
            if (proxy.ProxiedDestination is { } destination) failed.Add(destination);
            var remaining = candidates.Where(candidate => !failed.Contains(candidate)).ToList();
            if (remaining.Count == 0) return;

            LogRetry(logger, context.Request.Method, context.Request.Path, proxy.ProxiedDestination?.DestinationId, error.Error, attempt + 1);
            proxy.AvailableDestinations = remaining;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    private static bool RetriesAllowed(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(ProxyRouteMetadata.Retry, out var value) && bool.TryParse(value, out var allowed) && allowed;

    internal static bool IsSafeToRepeat(HttpRequest request, IForwarderErrorFeature error)
    {
        if (error.Error != ForwarderError.Request) return false;
        if (NothingWasSent(error.Exception)) return true;
        var safeMethod = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        return safeMethod && request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any();
    }

    private static bool NothingWasSent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) return true;
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} failed on {Destination} ({Error}); attempt {Attempt} goes to another replica")]
    private static partial void LogRetry(ILogger logger, string method, PathString path, string? destination, ForwarderError error, int attempt);
}
