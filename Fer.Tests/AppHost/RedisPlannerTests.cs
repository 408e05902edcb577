using Fer.AppHost.Redis;

namespace Fer.Tests.AppHost;

public sealed class RedisPlannerTests
{
    [Fact]
    public void ConnectionString_WinsOverEverything()
    {
        var plan = RedisPlanner.Decide("cache.example:6380,password=x", "garnet", () => 1, _ => "/usr/bin/redis-server");

        Assert.Equal(RedisMode.External, plan.Mode);
        Assert.Equal(("cache.example", 6380), (plan.Host, plan.Port));
        Assert.Equal("cache.example:6380,password=x", plan.ConnectionString);
        Assert.Contains("ConnectionStrings__redis", plan.Reason);
    }

    [Fact]
    public void RedisServerOnPath_IsStartedOnAnAllocatedPort()
    {
        var plan = RedisPlanner.Decide(null, "auto", () => 41000, name => name == "redis-server" ? "/opt/redis-server" : null);

        Assert.Equal(RedisMode.RedisServer, plan.Mode);
        Assert.Equal("127.0.0.1:41000", plan.ConnectionString);
        Assert.Equal("/opt/redis-server", plan.ServerPath);
    }

    [Fact]
    public void WithoutRedisServer_GarnetIsEmbedded_AndSaysWhy()
    {
        var plan = RedisPlanner.Decide(null, "auto", () => 41001, _ => null);

        Assert.Equal(RedisMode.Garnet, plan.Mode);
        Assert.Contains("no redis-server on PATH", plan.Reason);
        Assert.Equal(RedisMode.Garnet, RedisPlanner.Decide(null, "garnet", () => 1, _ => "/usr/bin/redis-server").Mode);
        Assert.Throws<InvalidOperationException>(() => RedisPlanner.Decide(null, "redis-server", () => 1, _ => null));
    }

    [Fact]
    public void ConnectionStringEndpoint_IsParsed()
    {
        Assert.Equal(("localhost", 6379), RedisPlanner.FirstEndpoint("localhost"));
        Assert.Equal(("::1", 7000), RedisPlanner.FirstEndpoint("ssl=true,[::1]:7000"));
        Assert.Throws<ArgumentException>(() => RedisPlanner.FirstEndpoint("password=only"));
    }
}
