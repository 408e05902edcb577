using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Contracts.Monitoring;
using Fer.Inference.Monitoring;
using Fer.Registry;
using Fer.Registry.Model;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Tests.Monitoring;
using Fer.Training.Monitoring;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Fer.Tests.Trainer.Apis;

/// <summary>Issue 27's backfill: a version published before monitoring references existed gets one computed by the
/// trainer on its data (real trainer on loopback, real redis-server, the bundled Cnn48 run by ONNX Runtime on a tiny
/// FER2013 folder) and attached beside it, and a real replica then watches the version against it.</summary>
[Collection(TrainerCollection.Name)]
public sealed class MonitoringReferenceApiTests(TrainerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Attach_ComputesTheReferenceOnTheVersionsValidationSplit_AndAReplicaWatchesAgainstIt_Once()
    {
        var prefix = TrainerFixture.NewPrefix();
        await using var trainer = await fixture.StartAppAsync(prefix);
        var registry = trainer.Service<ModelRegistry>();
        var onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath);
        // As an older trainer job published it: metrics without "monitoring", the job's split in its training options.
        var bare = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = onnx,
            MetricsJson = """{"valMacroF1":0.66}""",
            TrainingOptionsJson = """{"jobId":"20261130-101010-000001","options":{"valFraction":0.25,"seed":7}}""",
            ImageSize = 48,
        });
        var path = $"/models/{bare.Version}/monitoring-reference";
        await using var replica = await InferenceHost.StartWithRegistryAsync(fixture.Redis.ConnectionString, $"{prefix}-registry");
        Assert.Null(await replica.Get<ReferenceCatalog>().LoadAsync(bare.Version));
        var before = await trainer.Client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("none", before.GetProperty("origin").GetString());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("reference").ValueKind);

        var created = await trainer.Client.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(path, created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("attached", body.GetProperty("origin").GetString());
        Assert.Contains("valFraction 0.25, seed 7", body.GetProperty("source").GetString(), StringComparison.Ordinal);
        // The stored reference: the tiny folder's train/ holds 16 faces a class; the version's split held out 4 of each.
        var db = trainer.Service<IConnectionMultiplexer>().GetDatabase();
        var stored = (string?)await db.HashGetAsync(registry.Keys.MonitoringReference(bare.Version), "reference");
        var reference = MonitoringReference.TryParse(stored!)!;
        Assert.Equal(7 * 4, reference.Count);
        Assert.Equal(7 * 4, reference.Classes.Sum());
        Assert.All(reference.ClassShares!, share => Assert.Equal(1.0 / 7, share, 5)); // stored to six places
        Assert.Equal(Math.Round(reference.Accuracy * reference.Count), reference.Accuracy * reference.Count, 6); // a share of 28 faces
        Assert.Equal(ModelReference.Compute(onnx, fixture.Data.Root, validationFraction: 0.25, seed: 7).ToJson(), reference.ToJson());

        // A replica that asks now (as it does a minute after finding none) watches the version against it.
        Assert.Equal(reference.ToJson(), (await replica.Get<ReferenceCatalog>().LoadAsync(bare.Version))?.ToJson());
        var read = await trainer.Client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("attached", read.GetProperty("origin").GetString());
        Assert.Equal(7 * 4, read.GetProperty("reference").GetProperty("count").GetInt32());

        // Once attached, it stays: a second attach is refused and writes nothing; force computes and writes it again.
        var attachedAt = (string?)await db.HashGetAsync(registry.Keys.MonitoringReference(bare.Version), "attachedAt");
        await AssertProblemAsync(await trainer.Client.PostAsync(path, null), HttpStatusCode.Conflict, "?force=true");
        Assert.Equal(attachedAt, (string?)await db.HashGetAsync(registry.Keys.MonitoringReference(bare.Version), "attachedAt"));
        Assert.Equal(stored, (string?)await db.HashGetAsync(registry.Keys.MonitoringReference(bare.Version), "reference"));
        Assert.Equal(HttpStatusCode.Created, (await trainer.Client.PostAsync(path + "?force=true", null)).StatusCode);
        Assert.NotEqual(attachedAt, (string?)await db.HashGetAsync(registry.Keys.MonitoringReference(bare.Version), "attachedAt"));
    }

    [Fact]
    public async Task Attach_IsRefused_ForAVersionWithItsOwnReference_AnUnknownVersion_AndWithoutTheAdminKey()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        var db = trainer.Service<IConnectionMultiplexer>().GetDatabase();
        var onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath);
        var own = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = onnx,
            MetricsJson = BundledReplay.MetricsJson(valMacroF1: 0.66),
        });
        var bare = await registry.PublishAsync(new ModelPublishRequest { Onnx = onnx, MetricsJson = """{"valMacroF1":0.66}""" });

        var ownPath = $"/models/{own.Version}/monitoring-reference";
        await AssertProblemAsync(await trainer.Client.PostAsync(ownPath, null), HttpStatusCode.Conflict, "shipped with a monitoring reference");
        await AssertProblemAsync(await trainer.Client.PostAsync(ownPath + "?force=true", null), HttpStatusCode.Conflict, "never replaced");
        Assert.False(await db.KeyExistsAsync(registry.Keys.MonitoringReference(own.Version)));
        var read = await trainer.Client.GetFromJsonAsync<JsonElement>(ownPath);
        Assert.Equal("metrics", read.GetProperty("origin").GetString());
        Assert.Equal(BundledReplay.Reference.Count, read.GetProperty("reference").GetProperty("count").GetInt32());

        await AssertProblemAsync(await trainer.Client.PostAsync("/models/v0042-abcdef/monitoring-reference", null), HttpStatusCode.NotFound, "does not exist");
        await AssertProblemAsync(await trainer.Client.GetAsync("/models/v0042-abcdef/monitoring-reference"), HttpStatusCode.NotFound, "does not exist");

        using var anonymous = trainer.AnonymousClient();
        var path = $"/models/{bare.Version}/monitoring-reference";
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(path, null)).StatusCode);
        var wrong = new HttpRequestMessage(HttpMethod.Post, path);
        wrong.Headers.Add("X-Api-Key", "not-the-admin-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(wrong)).StatusCode);
        Assert.False(await db.KeyExistsAsync(registry.Keys.MonitoringReference(bare.Version)));
    }

    [Fact]
    public async Task Attach_WithoutTrainingData_Is503SayingWhereItLooked_AndWritesNothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "fer-no-data-" + Guid.NewGuid().ToString("N"));
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Trainer:DataDirectory"] = missing,
            ["Trainer:FallbackDataDirectories:0"] = missing,
        });
        var registry = trainer.Service<ModelRegistry>();
        var bare = await registry.PublishAsync(new ModelPublishRequest { Onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath) });

        var problem = await AssertProblemAsync(await trainer.Client.PostAsync($"/models/{bare.Version}/monitoring-reference", null),
            HttpStatusCode.ServiceUnavailable, "…/" + Path.GetFileName(missing) + " (not found)");

        Assert.DoesNotContain(Path.GetTempPath(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await trainer.Service<IConnectionMultiplexer>().GetDatabase().KeyExistsAsync(registry.Keys.MonitoringReference(bare.Version)));
    }

    /// <summary>The bundled model published as a version without its reference, attached on the whole FER2013 folder
    /// with the defaults (10 % of train/, seed 42): the very reference committed beside the model (computed by
    /// <c>Fer.Cli reference</c>), 2,872 faces. It reads all 28,709 training images (seconds: docs/monitoring.md).</summary>
    [Fact]
    public async Task Attach_OnTheWholeOfFer2013_ReproducesTheBundledModelsCommittedReference()
    {
        await using var trainer = await TrainerTestApp.StartAsync(fixture.Redis.ConnectionString, TrainerFixture.NewPrefix(), RepositoryPaths.Fer2013);
        var bare = await trainer.Service<ModelRegistry>().PublishAsync(new ModelPublishRequest { Onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath) });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var created = await trainer.Client.PostAsync($"/models/{bare.Version}/monitoring-reference", null);
        output.WriteLine($"attach on FER2013: {(int)created.StatusCode} in {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var attached = await trainer.Service<Fer.Registry.Monitoring.MonitoringReferenceStore>().GetAttachedAsync(bare.Version);
        Assert.Equal(2872, attached!.Reference.Count);
        Assert.Equal("the validation split of fer2013 (valFraction 0.1, seed 42): 2872 faces", attached.Source);
        Assert.Equal(BundledReplay.Reference.ToJson(), attached.Reference.ToJson());
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
