using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fer.AppHost.Dashboard;

/// <summary>Kestrel endpoints: the dashboard (HTTP/1.1, also OTLP/HTTP) and the OTLP/gRPC port (HTTP/2 cleartext, which
/// needs an HTTP/2-only endpoint: without TLS there is no protocol negotiation).</summary>
public static class DashboardEndpoints
{
    public static void Listen(KestrelServerOptions kestrel, Uri dashboard, int grpcPort)
    {
        Listen(kestrel, dashboard.Host, dashboard.Port, HttpProtocols.Http1AndHttp2);
        if (grpcPort != 0) Listen(kestrel, dashboard.Host, grpcPort, HttpProtocols.Http2);
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, HttpProtocols protocols)
    {
        if (host == "localhost") kestrel.ListenLocalhost(port, o => o.Protocols = protocols);
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            kestrel.Listen(address, port, o => o.Protocols = protocols);
        else kestrel.ListenAnyIP(port, o => o.Protocols = protocols);
    }
}
