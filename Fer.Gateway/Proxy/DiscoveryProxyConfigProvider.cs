using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Fer.Gateway.Proxy;

/// <summary>
/// Feeds YARP the gateway's routes and clusters (<see cref="GatewayProxyConfigFactory"/>), and rebuilds them whenever
/// configuration reloads; service discovery then resolves each cluster's service name into its replicas.
/// </summary>
internal sealed partial class DiscoveryProxyConfigProvider : IProxyConfigProvider, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IOptionsMonitor<ProxyOptions> _options;
    private readonly ILogger<DiscoveryProxyConfigProvider> _logger;
    private readonly IDisposable _subscription;
    private volatile GatewayProxyConfig _current;

    public DiscoveryProxyConfigProvider(IConfiguration configuration, IOptionsMonitor<ProxyOptions> options, ILogger<DiscoveryProxyConfigProvider> logger)
    {
        (_configuration, _options, _logger) = (configuration, options, logger);
        _current = Build();
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public IProxyConfig GetConfig() => _current;

    private void Reload()
    {
        try
        {
            var previous = _current;
            _current = Build();
            previous.SignalChange();
        }
        catch (InvalidOperationException exception)
        {
            LogReloadFailed(_logger, exception.Message);
        }
    }

    private GatewayProxyConfig Build()
    {
        var (routes, clusters) = GatewayProxyConfigFactory.Create(_configuration, _options.CurrentValue);
        foreach (var cluster in clusters)
            LogCluster(_logger, cluster.ClusterId, string.Join(", ", cluster.Destinations!.Values.Select(d => d.Address)));
        return new GatewayProxyConfig(routes, clusters);
    }

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy cluster {Cluster}: {Destinations}")]
    private static partial void LogCluster(ILogger logger, string cluster, string destinations);

    [LoggerMessage(Level = LogLevel.Error, Message = "Service discovery configuration changed but is invalid; keeping the previous routes: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
