using System.Net.Http.Headers;
using System.Text.Json;
using Fer.Registry;
using Fer.Tests.Data;
using Fer.Tests.Inference;
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
        fixture.StartAppAsync(prefix, new Dictionary<string, string?> { ["Trainer:BundledModel:Directory"] = bundle });

    [Fact]
    public async Task AnEmptyRegistry_GetsTheBundledModel_PublishedOncePromotedAndServed()
    {
        using var bundle = BundleFolder();
        var prefix = TrainerFixture.NewPrefix();
        string version;
        await using (var trainer = await StartTrainerAsync(prefix, bundle.Path))
        {
            await trainer.Service<BundledModelSeeder>().Seeding.WaitAsync(TimeSpan.FromMinutes(1));
            var registry = trainer.Service<ModelRegistry>();
            var versions = await registry.ListAsync();
            version = Assert.Single(versions).Version;
            Assert.Equal(version, await registry.GetProductionVersionAsync());
            Assert.Equal(BundledModelFiles.Source, JsonDocument.Parse(versions[0].TrainingOptionsJson).RootElement.GetProperty("source").GetString());
            Assert.Equal(0.5, JsonDocument.Parse(versions[0].MetricsJson).RootElement.GetProperty("valMacroF1").GetDouble());
            var artifact = await registry.FetchAsync(version); // verifies every chunk and the SHA-256
            Assert.Equal(File.ReadAllBytes(Path.Combine(bundle.Path, BundledModelFiles.Onnx)), artifact.Onnx.ToArray());
        }

        await using (var restarted = await StartTrainerAsync(prefix, bundle.Path))
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
