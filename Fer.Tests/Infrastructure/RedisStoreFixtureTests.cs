namespace Fer.Tests.Infrastructure;

public sealed class RedisStoreFixtureTests
{
    [Fact]
    public async Task RedisServer_AnswersOnLoopback_StopsAndRestartsEmpty_AndIsGoneAfterDispose()
    {
        var fixture = new RedisServerFixture();
        await fixture.InitializeAsync();
        try
        {
            Assert.StartsWith("redis-server 7.", fixture.Name);
            await using (var connection = await fixture.ConnectAsync())
            {
                await connection.GetDatabase().StringSetAsync("fixture-key", "1");
                Assert.Equal(1, await connection.GetServer(connection.GetEndPoints()[0]).DatabaseSizeAsync());
            }

            await fixture.StopAsync();
            Assert.False(fixture.IsRunning);
            Assert.False(await RedisStores.PingAsync(fixture.Port, TimeSpan.FromSeconds(1)));

            await fixture.RestartAsync();
            await using (var connection = await fixture.ConnectAsync())
                Assert.Equal(0, await connection.GetServer(connection.GetEndPoints()[0]).DatabaseSizeAsync()); // no persistence: a fresh server
        }
        finally
        {
            await fixture.DisposeAsync();
        }
        Assert.False(await RedisStores.PingAsync(fixture.Port, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void LocateExecutable_SaysWhatIsMissingAndHowToInstallIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RedisServerFixture.LocateExecutable("fer-no-such-redis-server"));
        Assert.Contains("'fer-no-such-redis-server' is not installed", error.Message);
        Assert.Contains("apt-get install redis-server", error.Message);
    }

    [Fact]
    public async Task Garnet_AnswersOnLoopback_AndIsGoneAfterDispose()
    {
        var fixture = new GarnetFixture();
        await fixture.InitializeAsync();
        try
        {
            Assert.StartsWith("garnet ", fixture.Name);
            await using var connection = await fixture.ConnectAsync();
            await connection.GetDatabase().StringSetAsync("fixture-key", "1");
            Assert.Equal("1", (string?)await connection.GetDatabase().StringGetAsync("fixture-key"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
        Assert.False(await RedisStores.PingAsync(fixture.Port, TimeSpan.FromSeconds(1)));
    }
}
