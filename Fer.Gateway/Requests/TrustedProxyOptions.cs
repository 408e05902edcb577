using System.Net;

namespace Fer.Gateway.Requests;

/// <summary>
/// The proxies in front of the gateway whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Empty by
/// default, loopback included: anyone on the machine could otherwise claim any client address and step around the
/// per-client rate limit.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "Gateway:ForwardedHeaders";

    /// <summary>Single addresses, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool AllParse() =>
        KnownProxies.All(address => IPAddress.TryParse(address, out _)) && KnownNetworks.All(network => IPNetwork.TryParse(network, out _));
}
