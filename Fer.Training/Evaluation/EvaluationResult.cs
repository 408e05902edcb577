namespace Fer.Training.Evaluation;

/// <summary>A model's metrics on one split, with what was evaluated (for the JSON and the report).</summary>
public sealed record EvaluationResult(
    string Model,
    string Data,
    string Split,
    ClassificationMetrics Metrics,
    IReadOnlyList<RocCurve> RocCurves)
{
    public static EvaluationResult Compute(string model, string data, string split, IReadOnlyList<string> classNames,
        IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities)
    {
        var metrics = ClassificationMetrics.Compute(classNames, labels, probabilities, out var curves);
        return new EvaluationResult(model, data, split, metrics, curves);
    }
}
