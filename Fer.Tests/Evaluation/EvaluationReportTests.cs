using Fer.Contracts;
using Fer.Tests.Data;
using Fer.Training.Evaluation;
using Fer.Training.Runs;

namespace Fer.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Write_ProducesMetricsJsonPlotsAndReport_ThatReadBack()
    {
        using var temp = new TempDirectory();
        string[] names = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
        var random = new Random(3);
        var labels = Enumerable.Range(0, 70).Select(i => i % 7).ToArray();
        var probabilities = labels.Select(l =>
        {
            var p = Enumerable.Range(0, 7).Select(_ => random.NextSingle()).ToArray();
            p[l] += 0.5f;
            var sum = p.Sum();
            return p.Select(v => v / sum).ToArray();
        }).ToArray();
        var result = EvaluationResult.Compute("model.onnx", "data", "test", names, labels, probabilities);
        EpochRecord[] history =
        [
            new(1, 1, 1.9, 0.2, 1.8, 0.25, 0.2, 2e-4, 3, 100, true),
            new(1, 2, 1.7, 0.3, 1.6, 0.35, 0.3, 1e-4, 3, 100, true),
            new(2, 1, 1.5, 0.4, 1.5, 0.40, 0.38, 2e-5, 9, 30, false),
        ];

        EvaluationReport.Write(temp.Path, result, history, "## Run\n\n- test summary\n");

        foreach (var png in new[] { ReportPlots.ConfusionMatrixFile, ReportPlots.RocCurvesFile, ReportPlots.LossFile, ReportPlots.AccuracyFile, ReportPlots.TimeToAccuracyFile })
        {
            var bytes = File.ReadAllBytes(Path.Combine(temp.Path, png));
            Assert.True(bytes.Length > 1000, $"{png} is {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
        var document = EvaluationReport.Read(temp.Path);
        Assert.Equal(result.Metrics.Accuracy, document.Accuracy, 12);
        Assert.Equal(result.Metrics.MacroF1, document.MacroF1, 12);
        Assert.Equal(names, document.Labels);
        Assert.Equal(result.Metrics.ConfusionMatrix, document.ConfusionMatrix);
        Assert.Equal(70, document.Classes.Sum(c => c.Support));
        Assert.All(document.Classes, c => Assert.NotNull(c.RocAuc));
        Assert.Equal(history, document.History);
        var report = File.ReadAllText(Path.Combine(temp.Path, EvaluationReport.ReportFile));
        Assert.Contains("precision    recall  f1-score   support", report, StringComparison.Ordinal);
        Assert.Contains("- test summary", report, StringComparison.Ordinal);
        Assert.Contains(ReportPlots.LossFile, report, StringComparison.Ordinal);
    }
}
