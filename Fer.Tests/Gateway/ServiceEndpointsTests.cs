using Fer.Gateway.Proxy;
using Microsoft.Extensions.Configuration;

namespace Fer.Tests.Gateway;

/// <summary>How the clusters name their destinations; RoutingTests show service discovery resolving them per replica.</summary>
public sealed class ServiceEndpointsTests
{
    [Fact]
    public void Create_NamesTheServices_WhenDiscoveryConfigurationIsThere()
    {
        var (_, clusters) = GatewayProxyConfigFactory.Create(Configuration(new()
        {
            ["services:inference:http:0"] = "http://localhost:5200",
            ["services:inference:http:1"] = "http://localhost:5201",
            ["services:trainer:http:0"] = "http://localhost:5100",
        }), new ProxyOptions());

        Assert.Equal("http://inference/", Assert.Single(clusters.Single(c => c.ClusterId == "inference").Destinations!).Value.Address);
        Assert.Equal("http://trainer/", Assert.Single(clusters.Single(c => c.ClusterId == "trainer").Destinations!).Value.Address);
    }

    [Fact]
    public void Create_FallsBackToTheStandalonePorts_WhenDiscoverySaysNothing()
    {
        var (_, clusters) = GatewayProxyConfigFactory.Create(Configuration([]), new ProxyOptions());

        Assert.Equal("http://localhost:5200/", Assert.Single(clusters.Single(c => c.ClusterId == "inference").Destinations!).Value.Address);
        Assert.Equal("http://localhost:5100/", Assert.Single(clusters.Single(c => c.ClusterId == "trainer").Destinations!).Value.Address);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
