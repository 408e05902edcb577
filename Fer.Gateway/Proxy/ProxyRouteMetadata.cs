namespace Fer.Gateway.Proxy;

/// <summary>Route metadata keys the gateway's own proxy middleware reads.</summary>
public static class ProxyRouteMetadata
{
    /// <summary>"true" on routes whose requests may be sent again to another replica (see <see cref="ProxyRetryMiddleware"/>).</summary>
    public const string Retry = "Fer.Retry";

    /// <summary>A short name of the service behind the route, used in error messages.</summary>
    public const string Service = "Fer.Service";
}
