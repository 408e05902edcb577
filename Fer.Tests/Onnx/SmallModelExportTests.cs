using Fer.Contracts;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Tests.Onnx;

public sealed class SmallModelExportTests
{
    public SmallModelExportTests() => TorchRuntime.Initialize();

    [Fact]
    public void Export_MatchesTorchSharp_OnRealFacesAndNoise()
    {
        var model = TestModels.SmallClassifier();
        var onnx = OnnxExporter.Export(model, TestModels.Info());
        var probe = ProbeBatch.Create(TestData.Fer2013Root);

        var report = OnnxParityGate.Enforce(model, onnx, probe);

        Assert.Equal(EmotionLabels.Names.Count + 3, report.Images.Count);
        Assert.Contains(report.Images, i => i.Source.StartsWith("test/happy/", StringComparison.Ordinal));
        Assert.True(report.MaxLogitsRelativeError < 1e-5, report.Table());
    }

    [Fact]
    public void Export_FoldsEveryBatchNorm_AndIsAcceptedByTheOfficialChecker()
    {
        var model = TestModels.SmallClassifier();
        var onnx = OnnxExporter.Export(model, TestModels.Info());

        OnnxChecker.AssertValid(onnx);
        var text = System.Text.Encoding.Latin1.GetString(onnx);
        Assert.DoesNotContain("BatchNormalization", text, StringComparison.Ordinal);
        Assert.DoesNotContain("running_mean", text, StringComparison.Ordinal);
        Assert.Contains("Conv", text, StringComparison.Ordinal);
        Assert.Contains("Gemm", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Export_RunsAnyBatchSize(int batch)
    {
        var model = TestModels.SmallClassifier();
        using var runtime = new OnnxRuntimeModel(OnnxExporter.Export(model, TestModels.Info()));
        var probe = ProbeBatch.Noise(batch, ProbeBatch.SampleLength, seed: batch);

        var outputs = runtime.Run(probe.Pixels, batch);

        Assert.Equal(batch, outputs.Batch);
        Assert.Equal(EmotionLabels.Names.Count, outputs.Classes);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var expected = model.call(tensor(probe.Pixels, [batch, 1, 48, 48])).data<float>().ToArray();
        Assert.True(OnnxParityGate.RelativeError(outputs.Logits, expected) < 1e-5);
        for (var n = 0; n < batch; n++)
            Assert.Equal(1.0, outputs.Probabilities.AsSpan(n * outputs.Classes, outputs.Classes).ToArray().Sum(), 5);
    }

    [Fact]
    public void ParityGate_RejectsAnExportThatNoLongerMatchesTheModel_WithTheNumbers()
    {
        var model = TestModels.SmallClassifier();
        var onnx = OnnxExporter.Export(model, TestModels.Info());
        using (no_grad())
        {
            var norm = (TorchSharp.Modules.BatchNorm1d)model.named_modules().Single(m => m.name == "11").module;
            norm.running_mean!.add_(0.01);
        }

        var error = Assert.Throws<OnnxParityException>(() => OnnxParityGate.Enforce(model, onnx, ProbeBatch.Noise(4, ProbeBatch.SampleLength)));

        Assert.False(error.Report.Passed);
        Assert.True(error.Report.MaxLogitsRelativeError > 1e-4);
        Assert.Contains("parity FAILED", error.Message, StringComparison.Ordinal);
        Assert.Contains("noise #3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_StoresMetadata_ThatReadsBack()
    {
        var info = TestModels.Info();
        using var runtime = new OnnxRuntimeModel(OnnxExporter.Export(TestModels.SmallClassifier(), info));

        var read = runtime.ReadInfo();

        Assert.Equal(info.Version, read.Version);
        Assert.Equal(EmotionLabels.Names, read.Labels);
        Assert.Equal(info.Input.Shape, read.Input.Shape);
        Assert.Equal(info.Input with { Shape = read.Input.Shape }, read.Input);
        Assert.Equal(info.Backbone, read.Backbone);
        Assert.Equal(info.Family, read.Family);
        Assert.Equal(info.Family, runtime.Metadata[OnnxMetadataKeys.Family]);
        Assert.Equal(48, read.ImageSize);
        Assert.Equal(0.71, read.Metrics["accuracy"]);
        Assert.Equal(info.DatasetFingerprint, read.DatasetFingerprint);
        Assert.Equal(info.CreatedAt, read.CreatedAt);
        Assert.Equal("[\"logits\",\"probabilities\"]", runtime.Metadata[OnnxMetadataKeys.Outputs]);
    }

    [Fact]
    public void Export_RejectsLabelsThatDoNotMatchTheOutputWidth()
    {
        var info = TestModels.Info() with { Labels = ["a", "b"] };

        var error = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(TestModels.SmallClassifier(), info));

        Assert.Contains("2 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_NamesAModuleItCannotTranslate()
    {
        var model = nn.Sequential(("flat", nn.Flatten()), ("odd", nn.Tanh()), ("fc", nn.Linear(48 * 48, 7)));

        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, TestModels.Info()));

        Assert.Contains("'odd'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tanh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInfo_OfAModelExportedBeforeFamiliesWereNamed_TakesTheFamilyFromItsBackbone()
    {
        var metadata = TestModels.Info().ToMetadata().Where(entry => entry.Key != OnnxMetadataKeys.Family)
            .ToDictionary(entry => entry.Key, entry => entry.Value);

        Assert.Equal(ModelFamilies.EfficientNetV2SId, OnnxModelInfo.FromMetadata(metadata).Family);
    }
}
