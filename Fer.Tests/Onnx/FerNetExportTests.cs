using Fer.Contracts;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;

namespace Fer.Tests.Onnx;

public sealed class FerNetExportTests(FerNetExportFixture fixture) : IClassFixture<FerNetExportFixture>
{
    [Fact]
    public void Export_OfFerNet_MatchesTorchSharp_OnRealFacesAndNoise()
    {
        var report = OnnxParityGate.Enforce(fixture.Model, fixture.Runtime, ProbeBatch.Create(TestData.Fer2013Root));

        Assert.Equal(10, report.Images.Count);
        Assert.True(report.MaxLogitsRelativeError <= OnnxParityGate.DefaultTolerance, report.Table());
    }

    [Fact]
    public void Export_OfFerNet_IsAcceptedByTheOfficialChecker_WithEveryBatchNormFolded()
    {
        OnnxChecker.AssertValid(fixture.Onnx);
        var text = System.Text.Encoding.Latin1.GetString(fixture.Onnx);
        Assert.DoesNotContain("BatchNormalization", text, StringComparison.Ordinal);
        Assert.DoesNotContain("running_var", text, StringComparison.Ordinal);
        Assert.Contains("half_pixel", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Export_OfFerNet_RunsAnyBatchSize(int batch)
    {
        var report = OnnxParityGate.Enforce(fixture.Model, fixture.Runtime, ProbeBatch.Noise(batch, ProbeBatch.SampleLength, seed: batch));

        Assert.Equal(batch, report.Images.Count);
    }

    [Fact]
    public void Export_OfFerNet_CarriesItsImageSizeInTheMetadata()
    {
        var info = fixture.Runtime.ReadInfo();

        Assert.Equal(FerNetExportFixture.ImageSize, info.ImageSize);
        Assert.Equal(ModelFamilies.EfficientNetV2SId, info.Backbone);
        Assert.Equal(ModelFamilies.EfficientNetV2SId, info.Family);
        Assert.Equal(EmotionLabels.Names, info.Labels);
    }

    [Fact]
    public void Export_RefusesMetadataForAnotherImageSize()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(fixture.Model, TestModels.Info(imageSize: 224)));

        Assert.Contains("image size 224", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Long")]
    public void Export_OfFerNetAt224_MatchesTorchSharp()
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(11);
        using var model = new FerNet();
        TestModels.RandomiseNorms(model, scale: 0.2);
        var onnx = OnnxExporter.Export(model, TestModels.Info(imageSize: FerNet.DefaultImageSize));

        var report = OnnxParityGate.Enforce(model, onnx, ProbeBatch.Create(TestData.Fer2013Root));

        Assert.True(report.Passed, report.Table());
    }
}
