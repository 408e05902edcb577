using Fer.Training.Runs;

namespace Fer.Training.Evaluation;

/// <summary>The schema of <c>metrics.json</c> (camelCase): headline numbers, per-class rows, confusion matrix, epochs.</summary>
public sealed record MetricsDocument(
    string Model,
    string Data,
    string Split,
    DateTimeOffset CreatedAt,
    int Count,
    double Accuracy,
    double MacroF1,
    double WeightedF1,
    double? MacroRocAuc,
    IReadOnlyList<string> Labels,
    IReadOnlyList<ClassMetrics> Classes,
    int[][] ConfusionMatrix,
    IReadOnlyList<EpochRecord>? History);
