using Fer.Contracts;

namespace Fer.Training.Evaluation;

/// <summary>A model's metrics on one split, with what was evaluated and its family (for the JSON and the report).</summary>
public sealed record EvaluationResult(
    string Model,
    string Data,
    string Split,
    ClassificationMetrics Metrics,
    IReadOnlyList<RocCurve> RocCurves,
    string? Family = null,
    FaceEvaluation? Faces = null)
{
    public static EvaluationResult Compute(string model, string data, string split, IReadOnlyList<string> classNames,
        IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, string? family = null)
    {
        var metrics = ClassificationMetrics.Compute(classNames, labels, probabilities, out var curves);
        return new EvaluationResult(model, data, split, metrics, curves, family);
    }

    /// <summary>The evaluation part of the metrics document (a training run adds its part).</summary>
    public ModelMetrics ToMetrics(DateTimeOffset createdAt) => new()
    {
        Family = Family,
        Model = Model,
        Data = Data,
        EvaluationSplit = Split,
        EvaluationCount = Metrics.Count,
        CreatedAt = createdAt,
        Accuracy = Metrics.Accuracy,
        MacroF1 = Metrics.MacroF1,
        WeightedF1 = Metrics.WeightedF1,
        MacroRocAuc = Metrics.MacroRocAuc is { } auc && double.IsFinite(auc) ? auc : null,
        Labels = Metrics.Classes.Select(c => c.Name).ToList(),
        Classes = Metrics.Classes,
        ConfusionMatrix = Metrics.ConfusionMatrix,
    };
}
