using Fer.Registry.Model;
using Fer.Tests.Inference;
using Xunit.Abstractions;

namespace Fer.Tests.AppHost;

/// <summary>
/// The AppHost's local Redis keeps the registry across an AppHost restart: a version published and promoted before
/// the restart is production after it, with the same bytes, and the version counter goes on (no name reused).
/// </summary>
[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class RegistryDurabilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("fer-apphost-state-").FullName;

    [Theory]
    [InlineData("garnet")]
    [InlineData("redis-server")]
    public async Task ThePromotedVersion_SurvivesAnAppHostRestart_AndNoVersionNameIsReused(string redis)
    {
        // 10 MB: three 4 MB chunks, so the bytes come back from more than one value.
        var onnx = new byte[10_000_000];
        Random.Shared.NextBytes(onnx);
        string promoted;
        await using (var first = await FerAppHost.StartAsync(redis, state, onlyRedis: true))
        {
            using var publisher = new RegistryPublisher((await first.RedisConnectionStringAsync())!, "fer");
            promoted = await publisher.PublishAndPromoteAsync(onnx);
        }

        await using var second = await FerAppHost.StartAsync(redis, state, onlyRedis: true);
        using var after = new RegistryPublisher((await second.RedisConnectionStringAsync())!, "fer");
        Assert.Equal(promoted, await after.Registry.GetProductionVersionAsync());
        var artifact = await after.Registry.FetchAsync(promoted);
        Assert.Equal(onnx, artifact.Onnx);
        var next = await after.PublishAsync([1, 2, 3]);
        Assert.True(string.CompareOrdinal(next, promoted) > 0, $"{next} after {promoted}: a version name was reused");
        output.WriteLine($"{redis}: {promoted} (10 MB) came back after the restart; the next publish was {next}");
    }

    public void Dispose() => Directory.Delete(state, recursive: true);
}
