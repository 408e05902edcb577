using Fer.AppHost.Redis;

namespace Fer.Tests.AppHost;

public sealed class RedisChoiceTests
{
    private static readonly Func<string, string?> NoServer = _ => null;
    private static readonly Func<string, string?> ServerOnPath = name => $"/usr/bin/{name}";

    [Fact]
    public void AConnectionString_WinsOverEverything()
    {
        var choice = RedisChoice.Decide("cache:6380", publishing: true, RedisKind.Garnet, () => true, ServerOnPath);
        Assert.Equal(RedisKind.Existing, choice.Kind);
    }

    [Fact]
    public void Publishing_AlwaysDeclaresTheContainer()
    {
        var choice = RedisChoice.Decide(null, publishing: true, RedisKind.Garnet, () => false, NoServer);
        Assert.Equal(RedisKind.Container, choice.Kind);
    }

    [Fact]
    public void Running_PrefersAContainerRuntime_ThenRedisServer_ThenGarnet_AndSaysWhy()
    {
        Assert.Equal(RedisKind.Container, RedisChoice.Decide(null, false, null, () => true, ServerOnPath).Kind);

        var server = RedisChoice.Decide(null, false, null, () => false, ServerOnPath);
        Assert.Equal((RedisKind.RedisServer, "/usr/bin/redis-server"), (server.Kind, server.ServerPath));
        Assert.Contains("no container runtime answers", server.Reason);

        var garnet = RedisChoice.Decide(null, false, null, () => false, NoServer);
        Assert.Equal(RedisKind.Garnet, garnet.Kind);
        Assert.Equal("no container runtime answers and no redis-server is on PATH", garnet.Reason);
    }

    [Fact]
    public void ForcedKinds_SkipTheDetection_AndAMissingRedisServerIsAClearError()
    {
        Assert.Equal(RedisKind.Garnet, RedisChoice.Decide(null, false, RedisKind.Garnet, () => throw new InvalidOperationException("not asked"), ServerOnPath).Kind);
        var error = Assert.Throws<InvalidOperationException>(() => RedisChoice.Decide(null, false, RedisKind.RedisServer, () => false, NoServer));
        Assert.Contains("redis-server is not on PATH", error.Message);
        Assert.Throws<ArgumentException>(() => RedisKinds.Parse("memcached"));
    }
}
