using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Fer.Gateway.Proxy;

/// <summary>One snapshot of routes and clusters; its change token fires when a newer snapshot replaces it.</summary>
internal sealed class GatewayProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
{
    private readonly CancellationTokenSource _changed = new();

    public IReadOnlyList<RouteConfig> Routes { get; } = routes;

    public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

    public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

    public void SignalChange() => _changed.Cancel();
}
