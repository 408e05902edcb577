using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Fer.AppHost.Dashboard;

/// <summary>Forwards /api/gateway/&lt;path&gt; as /&lt;path&gt; (query kept); the headers as YARP's default does.</summary>
public sealed class GatewayPathTransformer : HttpTransformer
{
    public static readonly PathString Prefix = "/api/gateway";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var path = httpContext.Request.Path.StartsWithSegments(Prefix, out var rest) ? rest : httpContext.Request.Path;
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, path, httpContext.Request.QueryString);
    }
}
