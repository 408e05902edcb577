using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Tests.Onnx;
using Fer.Training.Onnx;
using Fer.Training.Torch;

namespace Fer.Tests.Inference;

/// <summary>Loading, checking and running exported models in ONNX Runtime, and the session lifetime across swaps.</summary>
public sealed class OnnxModelTests
{
    [Fact]
    public void Load_ReadsTheExportersMetadata_AndRunsBatchesLikeTorchSharp()
    {
        var model = InferenceParts.Load(seed: 21);

        Assert.Equal("seed-21", model.Version);
        Assert.Equal(EmotionLabels.Names, model.Description.Labels);
        Assert.Equal(ModelFamilies.EfficientNetV2SId, model.Description.Family);
        Assert.True(model.Description.HasLogits);
        var crops = InferenceTestModels.FerImages().Select(path => FaceImageDecoder.Decode(File.ReadAllBytes(path)).Pixels).ToArray();
        var outputs = model.Run(crops.SelectMany(c => c).ToArray(), crops.Length);
        Assert.Equal(crops.Length, outputs.BatchSize);
        for (var i = 0; i < crops.Length; i++)
        {
            var expected = InferenceTestModels.ReferenceProbabilities(21, crops[i]);
            for (var c = 0; c < 7; c++) Assert.Equal(expected[c], outputs.Probabilities[i * 7 + c], 1e-5);
        }
        model.Release();
        Assert.True(model.IsDisposed);
    }

    [Fact]
    public void Load_PrefersTheSourcesVersion_OverTheFilesOwn()
    {
        var model = InferenceParts.Load(seed: 21, version: "v0042");

        Assert.Equal("v0042", model.Version);
        model.Release();
    }

    [Fact]
    public void Load_RefusesBytesWhoseChecksumDiffers()
    {
        var bytes = InferenceTestModels.Onnx(21);

        var error = Assert.Throws<ModelLoadException>(() => InferenceParts.Loader().Load(new ModelPackage("v1", "v1", bytes, new string('0', 64))));

        Assert.Equal("checksum", error.Reason);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesBytesThatAreNotAGraph()
    {
        var bytes = InferenceTestModels.Onnx(21)[..1000];

        var error = Assert.Throws<ModelLoadException>(() => InferenceParts.Loader().Load(new ModelPackage("v1", "v1", bytes, null)));

        Assert.Equal("graph", error.Reason);
    }

    [Fact]
    public void Load_RefusesAModelWithAnotherInputContract_NamingTheShape()
    {
        TorchRuntime.Initialize();
        var info = new OnnxModelInfo("wrong-input", EmotionLabels.Names,
            new ModelInput("input", "float32", ["N", "1", "32", "32"], 0, 1, "NCHW"),
            ModelFamilies.EfficientNetV2SId, ModelFamilies.EfficientNetV2SId, 32, new Dictionary<string, double>(), "none", DateTimeOffset.UnixEpoch);
        var bytes = OnnxExporter.Export(TestModels.SmallClassifier(3), info);

        var error = Assert.Throws<ModelLoadException>(() => InferenceParts.Loader().Load(new ModelPackage("v1", null, bytes, null)));

        Assert.Equal("contract", error.Reason);
        Assert.Contains("[-1,1,32,32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Swap_DisposesTheOldSession_OnlyAfterItsInFlightRunReleasesIt()
    {
        var holder = new ModelHolder(InferenceParts.Telemetry());
        holder.Swap(InferenceParts.Load(21));
        Assert.True(holder.TryAcquire(out var inFlight));

        var previous = holder.Swap(InferenceParts.Load(22));

        Assert.Same(inFlight, previous);
        Assert.False(inFlight.IsDisposed);
        var stillRuns = inFlight.Run(new float[FaceImage.PixelCount], 1); // the batch that held it finishes normally
        Assert.Equal(1, stillRuns.BatchSize);
        inFlight.Release();
        Assert.True(inFlight.IsDisposed);
        Assert.True(holder.TryAcquire(out var current));
        Assert.Equal("seed-22", current.Version);
        current.Release();
        holder.Dispose();
        Assert.True(current.IsDisposed);
    }

    [Fact]
    public void Run_StopsInsideOnnxRuntime_WhenCancelled()
    {
        var model = InferenceParts.Load(21);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => model.Run(new float[FaceImage.PixelCount * 4], 4, cancelled.Token));
        model.Release();
    }
}
