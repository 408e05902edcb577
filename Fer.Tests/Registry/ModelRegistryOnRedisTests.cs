using Fer.Registry.Errors;
using Fer.Tests.Infrastructure;
using StackExchange.Redis;

namespace Fer.Tests.Registry;

/// <summary>The registry contract on a real redis-server, plus what only a separate server process can show.</summary>
public sealed class ModelRegistryOnRedisTests(RedisServerFixture redis) : ModelRegistryTests<RedisServerFixture>(redis)
{
    [Fact]
    public async Task RegistryCalls_FailWhileRedisIsDown_AndWorkAgainAfterItComesBack()
    {
        // Fail fast instead of queueing commands until Redis returns; retry the connection often so the test is quick.
        await using var connection = await Store.ConnectAsync(options =>
        {
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry(100);
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        });
        var registry = CreateRegistry(connection: connection);
        var info = await registry.PublishAsync(Request(RandomBytes(1000, seed: 40)));

        await Store.StopAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (connection.IsConnected && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Assert.ThrowsAsync<RedisConnectionException>(() => registry.FetchAsync(info.Version));

        await Store.RestartAsync(); // a fresh, empty server on the same port
        while (!connection.IsConnected && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.FetchAsync(info.Version));
        var again = await registry.PublishAsync(Request(RandomBytes(1000, seed: 41)));
        Assert.Equal(1000, (await registry.FetchAsync(again.Version)).Onnx.Length);
    }
}
