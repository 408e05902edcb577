using System.Net;
using System.Net.Sockets;

namespace Fer.AppHost.Supervision;

/// <summary>Free loopback ports, asked of the OS (bind to port 0) and never handed out twice in one run.</summary>
public sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];
    private readonly Lock _gate = new();

    public int Next()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var port = AskOs();
                if (_given.Add(port)) return port;
            }
            throw new InvalidOperationException("no free loopback port found after 50 attempts");
        }
    }

    private static int AskOs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
