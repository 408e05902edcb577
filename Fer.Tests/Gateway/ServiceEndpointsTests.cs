using Fer.Gateway.Proxy;
using Microsoft.Extensions.Configuration;

namespace Fer.Tests.Gateway;

public sealed class ServiceEndpointsTests
{
    [Fact]
    public void Read_ListsEveryReplicaInIndexOrder()
    {
        var configuration = Configuration(new()
        {
            ["services:inference:http:10"] = "http://localhost:5210",
            ["services:inference:http:2"] = "http://localhost:5202",
            ["services:inference:http:0"] = "http://localhost:5200",
            ["services:trainer:http:0"] = "http://localhost:5100",
        });

        var endpoints = ServiceEndpoints.Read(configuration, "inference");

        Assert.Equal(["http://localhost:5200/", "http://localhost:5202/", "http://localhost:5210/"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void Create_FallsBackToTheStandalonePorts_WhenDiscoverySaysNothing()
    {
        var (_, clusters) = GatewayProxyConfigFactory.Create(Configuration([]), new ProxyOptions());

        Assert.Equal("http://localhost:5200/", Assert.Single(clusters.Single(c => c.ClusterId == "inference").Destinations!).Value.Address);
        Assert.Equal("http://localhost:5100/", Assert.Single(clusters.Single(c => c.ClusterId == "trainer").Destinations!).Value.Address);
    }

    [Fact]
    public void Read_RejectsAnAddressThatIsNotAnHttpUrl_NamingTheKey()
    {
        var configuration = Configuration(new() { ["services:inference:http:0"] = "localhost:5200" });

        var error = Assert.Throws<InvalidOperationException>(() => ServiceEndpoints.Read(configuration, "inference"));
        Assert.Contains("services:inference:http:0", error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
