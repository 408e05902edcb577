using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fer.Registry;
using Fer.Registry.Model;
using StackExchange.Redis;

namespace Fer.Tests.Trainer.Apis;

/// <summary>The models API over a real registry in a real Redis: list, metadata, verified download, promote, rollback,
/// and the ProblemDetails answers for unknown versions, nothing to roll back to, and damaged bytes.</summary>
[Collection(TrainerCollection.Name)]
public sealed class ModelsApiTests(TrainerFixture fixture)
{
    [Fact]
    public async Task ListAndGet_ShowEveryVersionNewestFirst_WithMetricsAndTheProductionFlag()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var first = await registry.PublishAsync(Request(1, 0.41));
        var second = await registry.PublishAsync(Request(2, 0.52));
        await registry.PromoteAsync(first.Version);

        var list = await trainer.Client.GetFromJsonAsync<JsonElement>("/models");
        Assert.Equal(first.Version, list.GetProperty("production").GetString());
        var versions = list.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([second.Version, first.Version], versions.Select(v => v.GetProperty("version").GetString()));
        Assert.Equal([false, true], versions.Select(v => v.GetProperty("isProduction").GetBoolean()));

        var model = await trainer.Client.GetFromJsonAsync<JsonElement>($"/models/{second.Version}");
        Assert.Equal(0.52, model.GetProperty("metrics").GetProperty("valMacroF1").GetDouble());
        Assert.Equal(second.Sha256, model.GetProperty("sha256").GetString());
        Assert.Equal($"/models/{second.Version}/onnx", model.GetProperty("onnxUrl").GetString());
    }

    [Fact]
    public async Task Onnx_DownloadsTheExactBytes_AndUnknownVersionsAre404()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var bytes = RandomNumberGenerator.GetBytes(2_500_000); // three chunks of 1 MiB
        var info = await registry.PublishAsync(new ModelPublishRequest { Onnx = bytes, MetricsJson = """{"valMacroF1":0.5}""", ImageSize = 64 });

        var response = await trainer.Client.GetAsync($"/models/{info.Version}/onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"fer-{info.Version}.onnx", response.Content.Headers.ContentDisposition?.FileName);
        var downloaded = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().SequenceEqual(downloaded));

        foreach (var path in new[] { "/models/v9999", "/models/v9999/onnx", "/models/latest", "/models/latest/onnx" })
        {
            var missing = await trainer.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }
        var notFound = await (await trainer.Client.GetAsync("/models/v9999")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'v9999' does not exist", notFound.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Onnx_OfAVersionWithACorruptedChunk_IsAProblemNamingTheChecksum_NotPartialBytes()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var info = await registry.PublishAsync(new ModelPublishRequest { Onnx = RandomNumberGenerator.GetBytes(1_500_000) });
        var db = trainer.Service<IConnectionMultiplexer>().GetDatabase();
        var chunk = (byte[])(await db.StringGetAsync(registry.Keys.Chunk(info.Version, 1)))!;
        chunk[0] ^= 0xFF;
        await db.StringSetAsync(registry.Keys.Chunk(info.Version, 1), chunk);

        var response = await trainer.Client.GetAsync($"/models/{info.Version}/onnx");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"'{info.Version}' failed its checksum", problem.GetProperty("detail").GetString());
        Assert.Equal(info.Version, problem.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Promote_OfADamagedVersion_Is409WithTheReason_AndProductionStays()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var good = await registry.PublishAsync(Request(3, 0.4));
        await registry.PromoteAsync(good.Version);
        var damaged = await registry.PublishAsync(new ModelPublishRequest { Onnx = RandomNumberGenerator.GetBytes(1_500_000) });
        var db = trainer.Service<IConnectionMultiplexer>().GetDatabase();
        await db.KeyDeleteAsync(registry.Keys.Chunk(damaged.Version, 0));

        var response = await trainer.Client.PostAsync($"/models/{damaged.Version}/promote", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"'{damaged.Version}' was not promoted", problem.GetProperty("detail").GetString());
        Assert.Contains("is missing", problem.GetProperty("detail").GetString());
        Assert.Equal(damaged.Version, problem.GetProperty("version").GetString());
        Assert.Equal(good.Version, await registry.GetProductionVersionAsync());
    }

    [Fact]
    public async Task PromoteAndRollback_MoveProduction_AndSayWhenThereIsNothingToDo()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var client = trainer.Client;
        var first = await registry.PublishAsync(Request(1, 0.4));
        var second = await registry.PublishAsync(Request(2, 0.5));

        var nothing = await client.PostAsync("/models/rollback", null);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        Assert.Contains("no model version was ever promoted", (await nothing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var promoted = await client.PostAsync($"/models/{first.Version}/promote", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var body = await promoted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.Version, body.GetProperty("production").GetString());
        Assert.True(body.GetProperty("changed").GetBoolean());

        var again = await (await client.PostAsync($"/models/{first.Version}/promote", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.GetProperty("changed").GetBoolean());

        await client.PostAsync($"/models/{second.Version}/promote", null);
        Assert.Equal(second.Version, await registry.GetProductionVersionAsync());

        var rolledBack = await client.PostAsync("/models/rollback", null);
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var rollback = await rolledBack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.Version, rollback.GetProperty("production").GetString());
        Assert.Equal(second.Version, rollback.GetProperty("previous").GetString());
        Assert.Equal("rolledBack", rollback.GetProperty("kind").GetString());
        Assert.Equal(first.Version, await registry.GetProductionVersionAsync());

        var unknown = await client.PostAsync("/models/v0999/promote", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Version, await registry.GetProductionVersionAsync());
    }

    private static ModelPublishRequest Request(int seed, double macroF1) => new()
    {
        Onnx = new Random(seed).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 10_000),
        MetricsJson = JsonSerializer.Serialize(new Dictionary<string, double> { ["valMacroF1"] = macroF1 }),
        ImageSize = 64,
        DatasetFingerprint = "test",
    };
}
