using System.Net;
using Fer.AppHost.Supervision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Fer.AppHost.Dashboard;

/// <summary>
/// The training and models pages talk to the trainer through the gateway, as any client does: the gateway keeps reads
/// open and asks the admin key (X-Api-Key, passed on as sent) for training and promotion. /api/gateway/train/** and
/// /api/gateway/models/** are forwarded to the gateway replica with YARP's forwarder, which streams the response as it
/// comes (the server-sent events of a running job arrive event by event). While the gateway is not running: a 503.
/// </summary>
public static class GatewayForwarding
{
    /// <summary>The resource the pages go through (Program.cs names it so).</summary>
    public const string GatewayResource = "gateway";

    private static readonly GatewayPathTransformer Transformer = new();

    // A job's event stream may be quiet for a while (a slow epoch's validation): far longer than YARP's 100 s default.
    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(10) };

    public static IServiceCollection AddGatewayForwarding(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        // As YARP's direct-forwarding guidance says: no proxy, redirects, cookies or decompression of its own.
        services.AddSingleton(new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayForwarding(this IEndpointRouteBuilder app)
    {
        var gateway = app.MapGroup(GatewayPathTransformer.Prefix).WithTags("Dashboard");
        gateway.Map("/train/{**path}", ForwardAsync).WithName("GatewayTrain").WithSummary("The trainer's /train API, through the gateway");
        gateway.Map("/models/{**path}", ForwardAsync).WithName("GatewayModels").WithSummary("The trainer's /models API, through the gateway");
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, IHttpForwarder forwarder, HttpMessageInvoker invoker, AppModel model)
    {
        var replica = model.Find(GatewayResource)?.Replicas.FirstOrDefault();
        if (replica?.Endpoint is not { } endpoint || replica.State != ReplicaState.Running)
        {
            var state = replica is null ? "not part of this app model" : $"{replica.State}";
            await Unavailable(context, $"the gateway is not up ({state}); the training and models pages need it (see the resources page)");
            return;
        }

        var error = await forwarder.SendAsync(context, endpoint, invoker, RequestConfig, Transformer);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            var cause = context.Features.Get<IForwarderErrorFeature>()?.Exception?.GetBaseException().Message ?? error.ToString();
            await Unavailable(context, $"the gateway at {endpoint} did not answer: {cause}");
        }
    }

    private static Task Unavailable(HttpContext context, string detail) =>
        Results.Problem(title: "Gateway unavailable", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable)
            .ExecuteAsync(context);
}
