using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fer.Contracts;
using Fer.Contracts.Monitoring;
using Fer.Registry;
using Fer.Tests.Data;
using Fer.Tests.Inference;
using Fer.Tests.Onnx;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Fer.Trainer.Bundled;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;

namespace Fer.Tests.Trainer.Bundled;

/// <summary>The bundled model on an empty registry: published once, promoted, checksummed, and served.</summary>
[Collection(TrainerCollection.Name)]
public sealed class BundledModelTests(TrainerFixture fixture)
{
    /// <summary>A bundled-model folder as a run leaves it: an exported Cnn48 (random weights) and its registry metrics.</summary>
    private static TempDirectory BundleFolder()
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(5);
        using var model = new Cnn48 { TestTimeFlip = true };
        model.eval();
        var folder = new TempDirectory();
        File.WriteAllBytes(Path.Combine(folder.Path, BundledModelFiles.Onnx),
            OnnxExporter.Export(model, OnnxModelInfo.For(model, "bundled-test", new Dictionary<string, double>(), "none", DateTimeOffset.UnixEpoch)));
        File.WriteAllText(Path.Combine(folder.Path, BundledModelFiles.Metrics), """{"valMacroF1":0.5,"accuracy":0.6}""");
        return folder;
    }

    private Task<TrainerTestApp> StartTrainerAsync(string prefix, string bundle) =>
        fixture.StartAppAsync(prefix, new Dictionary<string, string?> { ["Trainer:BundledModel:Directory"] = bundle, ["Trainer:BundledModel:Enabled"] = "true" });

    [Fact]
    public async Task AnEmptyRegistry_GetsTheBundledModel_PublishedOncePromotedAndServed()
    {
        using var bundle = BundleFolder();
        await AssertPublishedOncePromotedAndServedAsync(bundle.Path);
    }

    /// <summary>The model the trainer ships (Fer.Trainer/BundledModel, copied beside its binaries): the recorded full
    /// run's export, as the ONNX checker and the registry see it, and what the product serves on a fresh machine.</summary>
    [Fact]
    public async Task TheShippedModel_IsTheRecordedCnn48Run_PassesTheOnnxChecker_AndIsPublishedOnceAndServed()
    {
        var shipped = new BundledModelOptions().Directory;
        var onnx = Path.Combine(shipped, BundledModelFiles.Onnx);
        Assert.True(File.Exists(onnx), $"no shipped model at {onnx}");
        Assert.True(new FileInfo(onnx).Length < 8 << 20, "the shipped model should stay a few MB");
        OnnxChecker.AssertValid(File.ReadAllBytes(onnx));

        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx))
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var info = OnnxModelInfo.FromMetadata(metadata);
            Assert.Equal((ModelFamilies.Cnn48Id, ModelInput.CropSize), (info.Family, info.ImageSize));
        }

        // The metrics beside it are the run's own (metrics.json of the run folder): test figures meet issue 14's target.
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(shipped, BundledModelFiles.Metrics))).RootElement;
        Assert.Equal("test", metrics.GetProperty("evaluationSplit").GetString());
        Assert.True(metrics.GetProperty("accuracy").GetDouble() >= 0.67, metrics.GetProperty("accuracy").ToString());
        Assert.True(metrics.GetProperty("macroF1").GetDouble() >= 0.66, metrics.GetProperty("macroF1").ToString());
        // Its monitoring reference ships too: the seeder adds it to the version's metrics, and without it no replica
        // can test production's traffic for drift (under the AppHost, GET /models/drift stayed empty).
        Assert.True(File.Exists(Path.Combine(shipped, MonitoringReference.FileName)), $"no {MonitoringReference.FileName} beside the shipped model");

        await AssertPublishedOncePromotedAndServedAsync(shipped);
    }

    private async Task AssertPublishedOncePromotedAndServedAsync(string bundle)
    {
        var prefix = TrainerFixture.NewPrefix();
        string version;
        await using (var trainer = await StartTrainerAsync(prefix, bundle))
        {
            await trainer.Service<BundledModelSeeder>().Seeding.WaitAsync(TimeSpan.FromMinutes(1));
            var registry = trainer.Service<ModelRegistry>();
            var versions = await registry.ListAsync();
            version = Assert.Single(versions).Version;
            Assert.Equal(version, await registry.GetProductionVersionAsync());
            Assert.Equal(BundledModelFiles.Source, JsonDocument.Parse(versions[0].TrainingOptionsJson).RootElement.GetProperty("source").GetString());
            // The run's metrics, with the monitoring reference beside them (when there is one) as their "monitoring".
            var published = JsonNode.Parse(versions[0].MetricsJson)!.AsObject();
            var reference = Path.Combine(bundle, MonitoringReference.FileName);
            if (File.Exists(reference))
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(reference)), published["monitoring"]), "the published reference is not the shipped one");
                published.Remove("monitoring");
            }
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, BundledModelFiles.Metrics))), published), versions[0].MetricsJson);
            var artifact = await registry.FetchAsync(version); // verifies every chunk and the SHA-256
            Assert.Equal(File.ReadAllBytes(Path.Combine(bundle, BundledModelFiles.Onnx)), artifact.Onnx.ToArray());
        }

        await using (var restarted = await StartTrainerAsync(prefix, bundle))
        {
            await restarted.Service<BundledModelSeeder>().Seeding.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Single(await restarted.Service<ModelRegistry>().ListAsync());
        }

        await using var inference = await InferenceHost.StartWithRegistryAsync(fixture.Redis.ConnectionString, $"{prefix}-registry");
        await inference.WaitForVersionAsync(version);
        using var content = new ByteArrayContent(File.ReadAllBytes(RepositoryPaths.FirstTestImage("happy")));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await inference.Client.PostAsync("/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(version, JsonDocument.Parse(body).RootElement.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task ARegistryWithAProductionVersion_IsLeftAsItIs()
    {
        using var bundle = BundleFolder();
        var prefix = TrainerFixture.NewPrefix();
        using var publisher = new RegistryPublisher(fixture.Redis.ConnectionString, $"{prefix}-registry");
        var own = await publisher.PublishAndPromoteAsync(File.ReadAllBytes(Path.Combine(bundle.Path, BundledModelFiles.Onnx)));

        await using var trainer = await StartTrainerAsync(prefix, bundle.Path);
        await trainer.Service<BundledModelSeeder>().Seeding.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(own, Assert.Single(await publisher.Registry.ListAsync()).Version);
        Assert.Equal(own, await publisher.Registry.GetProductionVersionAsync());
    }
}
