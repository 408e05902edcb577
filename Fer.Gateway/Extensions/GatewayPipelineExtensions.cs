using Fer.Gateway.Limits;
using Fer.Gateway.Proxy;
using Fer.Gateway.Requests;
using Fer.Gateway.Security;

namespace Fer.Gateway.Extensions;

public static class GatewayPipelineExtensions
{
    /// <summary>Order matters: client address first (rate limits key on it), then the request id (every later answer
    /// carries it), the web page, body limit, routing, auth and rate limits (they read the matched route).</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<AdminKey>(); // resolve now, so a generated key is printed at start-up
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseWebPage();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
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
