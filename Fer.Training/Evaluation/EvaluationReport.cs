using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fer.Contracts;
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

    /// <summary>A plain evaluation's outputs (<paramref name="history"/>: a training run's epochs, for the plots).</summary>
    /// <param name="summary">extra Markdown lines about the run (recipe, timings, cache), placed before the table</param>
    public static void Write(string directory, EvaluationResult result, IReadOnlyList<EpochRecord>? history = null,
        string? summary = null, DateTimeOffset? createdAt = null) =>
        Write(directory, result, result.ToMetrics(createdAt ?? DateTimeOffset.UtcNow) with { History = history }, summary);

    /// <summary>Writes <paramref name="metrics"/> as <c>metrics.json</c>, the plots of <paramref name="result"/> and of the
    /// metrics' history, and the report.</summary>
    public static void Write(string directory, EvaluationResult result, ModelMetrics metrics, string? summary)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MetricsFile), JsonSerializer.Serialize(metrics, JsonOptions));

        ReportPlots.ConfusionMatrix(Path.Combine(directory, ReportPlots.ConfusionMatrixFile), result.Metrics);
        ReportPlots.RocCurves(Path.Combine(directory, ReportPlots.RocCurvesFile), result.RocCurves);
        var history = metrics.History;
        if (history is { Count: > 0 })
            ReportPlots.History(directory, history);

        File.WriteAllText(Path.Combine(directory, ReportFile), Markdown(result, history, summary));
    }

    public static ModelMetrics Read(string directory) =>
        JsonSerializer.Deserialize<ModelMetrics>(File.ReadAllText(Path.Combine(directory, MetricsFile)), JsonOptions)
        ?? throw new InvalidDataException($"{Path.Combine(directory, MetricsFile)} is empty");

    private static string Markdown(EvaluationResult result, IReadOnlyList<EpochRecord>? history, string? summary)
    {
        var m = result.Metrics;
        var text = new StringBuilder();
        text.Append("# Fer evaluation report\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- model: `{result.Model}`\n- data: `{result.Data}`, split `{result.Split}` ({m.Count} images)\n");
        text.Append(CultureInfo.InvariantCulture,
            $"- accuracy **{m.Accuracy:P2}**, macro-F1 **{m.MacroF1:F4}**, weighted F1 {m.WeightedF1:F4}, macro one-vs-rest ROC AUC {(m.MacroRocAuc is { } auc ? auc.ToString("F4", CultureInfo.InvariantCulture) : "n/a")}\n");
        if (result.Faces is { } faces) text.Append(CultureInfo.InvariantCulture, $"- {faces.Describe(m.Count, m.Accuracy)}\n");
        if (!string.IsNullOrWhiteSpace(summary)) text.Append('\n').Append(summary.TrimEnd()).Append('\n');
        text.Append("\n## Per class\n\n```\n").Append(ClassificationReport.Format(m)).Append("```\n\n");
        text.Append(CultureInfo.InvariantCulture, $"![confusion matrix]({ReportPlots.ConfusionMatrixFile})\n![ROC curves]({ReportPlots.RocCurvesFile})\n");
        if (history is { Count: > 0 })
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Epochs\n\n![loss]({ReportPlots.LossFile})\n![accuracy]({ReportPlots.AccuracyFile})\n![time to accuracy]({ReportPlots.TimeToAccuracyFile})\n\n");
            text.Append("| phase | epoch | train loss | train acc | val loss | val acc | val macro-F1 | lr | s | img/s | cache |\n");
            text.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var e in history)
                text.Append(CultureInfo.InvariantCulture,
                    $"| {e.Phase} | {e.Epoch} | {e.TrainLoss:F4} | {e.TrainAccuracy:P1} | {e.ValidationLoss:F4} | {e.ValidationAccuracy:P1} | {e.ValidationMacroF1:F4} | {e.LearningRate:G3} | {e.Seconds:F1} | {e.ImagesPerSecond:F0} | {(e.FromFeatureCache ? "yes" : "no")} |\n");
        }
        return text.ToString();
    }
}
