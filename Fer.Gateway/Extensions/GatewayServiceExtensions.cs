using System.Net;
using Fer.Gateway.Limits;
using Fer.Gateway.Proxy;
using Fer.Gateway.Requests;
using Fer.ServiceDefaults.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Yarp.ReverseProxy.Configuration;

namespace Fer.Gateway.Extensions;

public static class GatewayServiceExtensions
{
    /// <summary>YARP's ActivitySource: its "proxy.forwarder" span sits between the gateway's server span and the
    /// HttpClient span that carries the trace to the replica.</summary>
    public const string YarpActivitySource = "Yarp.ReverseProxy";

    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // requestId and traceId come from ServiceDefaults, as in every service's ProblemDetails.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails += context =>
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path);

        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.SectionName)
            .Validate(o => o.AllParse(),
                $"{TrustedProxyOptions.SectionName}:KnownProxies must be IP addresses (10.0.0.5), {TrustedProxyOptions.SectionName}:KnownNetworks CIDR networks (10.0.0.0/8)")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback out of the box; here only the configured proxies are.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in trusted.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(address));
            foreach (var network in trusted.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);

        builder.AddAdminKeyAuthentication();

        services.AddPredictRateLimiting();

        // http://inference becomes one destination per replica (services:inference:http:N), re-resolved as they change.
        services.AddReverseProxy().AddServiceDiscoveryDestinationResolver();
        // A down replica would log a failed probe with its stack trace every few seconds; the health state changes
        // (healthy <-> unhealthy) are still logged by YARP's health updater.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", LogLevel.Error);
        services.AddSingleton<IProxyConfigProvider, DiscoveryProxyConfigProvider>();
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(YarpActivitySource).AddProcessor(new ProxyHealthProbeSpanFilter()));
        return builder;
    }
}
