using System.Text.Json;
using Fer.Contracts;

namespace Fer.Tests.Contracts;

public sealed class ModelMetricsTests
{
    private static ModelMetrics Sample() => new()
    {
        Family = ModelFamilies.EfficientNetV2SId,
        Model = "runs/a/model.onnx",
        Data = "data/fer2013",
        EvaluationSplit = "test",
        EvaluationCount = 10,
        CreatedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        Accuracy = 0.6,
        MacroF1 = 0.55,
        WeightedF1 = 0.58,
        MacroRocAuc = 0.8,
        Classes = EmotionLabels.Names.Select((name, i) => new ClassMetrics(name, 0.5, 0.5, 0.5, i + 1, i == 1 ? null : 0.8)).ToList(),
        ConfusionMatrix = [.. EmotionLabels.Names.Select((_, row) => EmotionLabels.Names.Select((_, column) => row == column ? 1 : 0).ToArray())],
        ValMacroF1 = 0.52,
        ValAccuracy = 0.61,
        ValLoss = 1.1,
        BestPhase = 2,
        BestEpoch = 3,
        Epochs = 5,
        TrainSeconds = 42.5,
        History = [new EpochRecord(1, 1, 1.9, 0.3, double.NaN, 0.35, 0.2, 2e-4, 10, 100, true)],
    };

    [Fact]
    public void ToJson_UsesTheNamesThePagesAndThePromotionPolicyRead()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;
        Assert.Equal(0.52, root.GetProperty(ModelMetrics.ValidationMacroF1Key).GetDouble());
        Assert.Equal("valMacroF1", ModelMetrics.ValidationMacroF1Key);
        foreach (var name in new[] { "family", "accuracy", "macroF1", "weightedF1", "macroRocAuc", "valAccuracy", "valLoss",
                     "bestPhase", "bestEpoch", "epochs", "evaluationSplit", "evaluationCount", "trainSeconds", "labels",
                     "classes", "confusionMatrix", "history" })
            Assert.True(root.TryGetProperty(name, out _), $"no '{name}' in {root}");
        Assert.Equal(EmotionLabels.Names, root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("NaN", root.GetProperty("history")[0].GetProperty("validationLoss").GetString());
    }

    [Fact]
    public void TryParse_ReadsBackWhatToJsonWrote()
    {
        var sample = Sample();
        var read = ModelMetrics.TryParse(sample.ToJson())!;
        Assert.Equal(sample.ToJson(), read.ToJson());
        Assert.Equal(sample.Classes, read.Classes);
        Assert.Null(read.Classes[1].RocAuc);
        Assert.True(double.IsNaN(read.History![0].ValidationLoss));
    }

    [Fact]
    public void TryParse_ReadsAnOlderDocumentWithOnlySomeFields()
    {
        var read = ModelMetrics.TryParse("""{"valMacroF1":0.5,"valAccuracy":0.6}""")!;
        Assert.Equal(0.5, read.ValMacroF1);
        Assert.Null(read.Family);
        Assert.Null(read.History);
    }

    [Theory]
    [InlineData("0.61")]
    [InlineData("{not json")]
    [InlineData("""{"valMacroF1":"high"}""")]
    public void TryParse_ReturnsNull_ForWhatIsNotAMetricsDocument(string json) =>
        Assert.Null(ModelMetrics.TryParse(json));
}
