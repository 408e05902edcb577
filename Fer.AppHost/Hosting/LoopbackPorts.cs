using System.Net;
using System.Net.Sockets;

namespace Fer.AppHost.Hosting;

public static class LoopbackPorts
{
    /// <summary>A port that is free on loopback now (the OS picks it), for an endpoint DCP does not proxy.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A free port when running; none when publishing, so the manifest names no port of this machine and a
    /// deployment chooses its own (deploy/kubernetes: 8080, the port .NET's container images listen on).</summary>
    public static int? FreeWhenRunning(IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode ? Free() : null;
}
