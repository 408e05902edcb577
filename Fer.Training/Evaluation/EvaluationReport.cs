using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fer.Training.Runs;

namespace Fer.Training.Evaluation;

/// <summary>Writes a run's or an evaluation's outputs: <c>metrics.json</c>, the PNG plots and <c>report.md</c>.</summary>
public static class EvaluationReport
{
    public const string MetricsFile = "metrics.json";
    public const string ReportFile = "report.md";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <param name="history">the epochs of a training run (null for a plain evaluation: no loss/accuracy plots)</param>
    /// <param name="summary">extra Markdown lines about the run (recipe, timings, cache), placed before the table</param>
    public static void Write(string directory, EvaluationResult result, IReadOnlyList<EpochRecord>? history = null,
        string? summary = null, DateTimeOffset? createdAt = null)
    {
        Directory.CreateDirectory(directory);
        var metrics = result.Metrics;
        var document = new MetricsDocument(result.Model, result.Data, result.Split, createdAt ?? DateTimeOffset.UtcNow,
            metrics.Count, metrics.Accuracy, metrics.MacroF1, metrics.WeightedF1, metrics.MacroRocAuc,
            metrics.Classes.Select(c => c.Name).ToList(), metrics.Classes, metrics.ConfusionMatrix, history);
        File.WriteAllText(Path.Combine(directory, MetricsFile), JsonSerializer.Serialize(document, JsonOptions));

        ReportPlots.ConfusionMatrix(Path.Combine(directory, ReportPlots.ConfusionMatrixFile), metrics);
        ReportPlots.RocCurves(Path.Combine(directory, ReportPlots.RocCurvesFile), result.RocCurves);
        if (history is { Count: > 0 })
            ReportPlots.History(Path.Combine(directory, ReportPlots.LossFile), Path.Combine(directory, ReportPlots.AccuracyFile), history);

        File.WriteAllText(Path.Combine(directory, ReportFile), Markdown(result, history, summary));
    }

    public static MetricsDocument Read(string directory) =>
        JsonSerializer.Deserialize<MetricsDocument>(File.ReadAllText(Path.Combine(directory, MetricsFile)), JsonOptions)
        ?? throw new InvalidDataException($"{Path.Combine(directory, MetricsFile)} is empty");

    private static string Markdown(EvaluationResult result, IReadOnlyList<EpochRecord>? history, string? summary)
    {
        var m = result.Metrics;
        var text = new StringBuilder();
        text.Append("# Fer evaluation report\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- model: `{result.Model}`\n- data: `{result.Data}`, split `{result.Split}` ({m.Count} images)\n");
        text.Append(CultureInfo.InvariantCulture,
            $"- accuracy **{m.Accuracy:P2}**, macro-F1 **{m.MacroF1:F4}**, weighted F1 {m.WeightedF1:F4}, macro one-vs-rest ROC AUC {(m.MacroRocAuc is { } auc ? auc.ToString("F4", CultureInfo.InvariantCulture) : "n/a")}\n");
        if (!string.IsNullOrWhiteSpace(summary)) text.Append('\n').Append(summary.TrimEnd()).Append('\n');
        text.Append("\n## Per class\n\n```\n").Append(ClassificationReport.Format(m)).Append("```\n\n");
        text.Append(CultureInfo.InvariantCulture, $"![confusion matrix]({ReportPlots.ConfusionMatrixFile})\n![ROC curves]({ReportPlots.RocCurvesFile})\n");
        if (history is { Count: > 0 })
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Epochs\n\n![loss]({ReportPlots.LossFile})\n![accuracy]({ReportPlots.AccuracyFile})\n\n");
            text.Append("| phase | epoch | train loss | train acc | val loss | val acc | val macro-F1 | lr | s | img/s | cache |\n");
            text.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var e in history)
                text.Append(CultureInfo.InvariantCulture,
                    $"| {e.Phase} | {e.Epoch} | {e.TrainLoss:F4} | {e.TrainAccuracy:P1} | {e.ValidationLoss:F4} | {e.ValidationAccuracy:P1} | {e.ValidationMacroF1:F4} | {e.LearningRate:G3} | {e.Seconds:F1} | {e.ImagesPerSecond:F0} | {(e.FromFeatureCache ? "yes" : "no")} |\n");
        }
        return text.ToString();
    }
}
