using Fer.Gateway.Limits;
using Fer.Gateway.Proxy;
using Fer.Gateway.Requests;
using Fer.ServiceDefaults.Security;

namespace Fer.Gateway.Extensions;

public static class GatewayPipelineExtensions
{
    /// <summary>Order matters: client address first (rate limits key on it), then the request id (every later answer
    /// carries it), the web page, body limit, routing, auth and rate limits (they read the matched route).</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseWebPage();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRouting();
        app.UseAdminKey();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorMiddleware>();
            proxy.UseMiddleware<ProxyRetryMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
