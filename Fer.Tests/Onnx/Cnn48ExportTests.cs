using Fer.Contracts;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;

namespace Fer.Tests.Onnx;

public sealed class Cnn48ExportTests
{
    public Cnn48ExportTests() => TorchRuntime.Initialize();

    private static (Cnn48 Model, byte[] Onnx) Export(bool testTimeFlip)
    {
        TorchSharp.torch.manual_seed(48);
        var model = new Cnn48 { TestTimeFlip = testTimeFlip };
        TestModels.RandomiseNorms(model, scale: 0.3);
        model.eval();
        return (model, OnnxExporter.Export(model, OnnxModelInfo.For(model, "test-cnn48", new Dictionary<string, double>(), "none", DateTimeOffset.UnixEpoch)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Export_OfCnn48_MatchesTorchSharp_OnRealFacesAndNoise(bool testTimeFlip)
    {
        var (model, onnx) = Export(testTimeFlip);
        using var _ = model;

        var report = OnnxParityGate.Enforce(model, onnx, ProbeBatch.Create(TestData.Fer2013Root));

        Assert.Equal(10, report.Images.Count);
        Assert.True(report.MaxLogitsRelativeError <= OnnxParityGate.DefaultTolerance, report.Table());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Export_WithTestTimeFlip_RunsAnyBatchSize(int batch)
    {
        var (model, onnx) = Export(testTimeFlip: true);
        using var _ = model;

        var report = OnnxParityGate.Enforce(model, onnx, ProbeBatch.Noise(batch, ProbeBatch.SampleLength, seed: batch));

        Assert.Equal(batch, report.Images.Count);
    }

    [Fact]
    public void Export_OfCnn48_IsAcceptedByTheOfficialChecker_WithEveryBatchNormFolded()
    {
        var (model, onnx) = Export(testTimeFlip: true);
        using var _ = model;

        OnnxChecker.AssertValid(onnx);
        var text = System.Text.Encoding.Latin1.GetString(onnx);
        Assert.DoesNotContain("BatchNormalization", text, StringComparison.Ordinal);
        Assert.Contains("MaxPool", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_OfCnn48_NamesItsFamilyAndSizeInTheMetadata()
    {
        var (model, onnx) = Export(testTimeFlip: false);
        using var _ = model;
        using var runtime = new OnnxRuntimeModel(onnx);

        var info = runtime.ReadInfo();

        Assert.Equal(ModelFamilies.Cnn48Id, info.Backbone);
        Assert.Equal(48, info.ImageSize);
        Assert.Equal([1L, 1, 48, 48], [1L, .. runtime.SampleShape]);
    }
}
