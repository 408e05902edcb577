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
}
