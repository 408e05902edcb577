using System.Globalization;
using Fer.Registry;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Fer.Registry.Telemetry;
using Fer.Tests.Infrastructure;
using Garnet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Tests.Registry;

/// <summary>A publish that would not fit in the server's memory is refused with a clear error, and nothing already
/// published is evicted: on a real redis-server with a memory limit and an eviction policy (the silent kind), and on
/// a real embedded Garnet with little memory.</summary>
public sealed class RegistryCapacityTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const int ModelBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task Redis_WithAnEvictionPolicy_RefusesThePublishThatWouldNotFit()
    {
        await using var connection = await redis.ConnectAsync();
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var used = long.Parse((await server.InfoAsync("memory")).SelectMany(g => g).First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
        await server.ConfigSetAsync("maxmemory-policy", "allkeys-lru");
        await server.ConfigSetAsync("maxmemory", (used + 6L * ModelBytes).ToString(CultureInfo.InvariantCulture)); // room for a few
        try
        {
            await AssertRefusesBeforeEvictingAsync(connection);
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
            await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        }
    }

    [Fact]
    public async Task Garnet_WithLittleMemory_RefusesThePublishThatWouldNotFit()
    {
        var port = RedisStores.GetFreeLoopbackPort();
        using var garnet = new GarnetServer(["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--memory", "64m", "--index", "16m"]);
        garnet.Start();
        await RedisStores.WaitUntilAnswersAsync("garnet", port, () => null);
        await using var connection = await RedisStores.ConnectAsync($"127.0.0.1:{port}");

        await AssertRefusesBeforeEvictingAsync(connection);
    }

    private static async Task AssertRefusesBeforeEvictingAsync(IConnectionMultiplexer connection)
    {
        var registry = Registry(connection);
        var published = new List<(string Version, byte[] Onnx)>();
        RegistryCapacityException? refused = null;
        for (var seed = 0; seed < 40 && refused is null; seed++)
        {
            var onnx = new byte[ModelBytes];
            new Random(seed).NextBytes(onnx);
            try
            {
                published.Add(((await registry.PublishAsync(new ModelPublishRequest { Onnx = onnx })).Version, onnx));
            }
            catch (RegistryCapacityException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Contains("was refused", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(published);
        await Task.Delay(TimeSpan.FromSeconds(2)); // Garnet evicts in the background: give it the chance to
        foreach (var (version, onnx) in published)
        {
            var fetched = await registry.FetchAsync(version);
            Assert.True(onnx.AsSpan().SequenceEqual(fetched.Onnx), $"{version} was damaged after the refusal");
        }
    }

    private static ModelRegistry Registry(IConnectionMultiplexer connection)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var options = new RegistryOptions { KeyPrefix = "capacity-" + Guid.NewGuid().ToString("N")[..8], RetainVersions = 100 };
        return new ModelRegistry(connection, Options.Create(options), new RegistryMetrics(meters), TimeProvider.System, NullLogger<ModelRegistry>.Instance);
    }
}
