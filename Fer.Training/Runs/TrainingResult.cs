using Fer.Contracts;
using Fer.Training.Evaluation;

namespace Fer.Training.Runs;

/// <summary>How a run ended: its folder, whether it completed (false: cancelled, resumable), its final evaluation, the
/// fingerprint of the training data it ran on, and its metrics document (null until it completes).</summary>
public sealed record TrainingResult(string RunDirectory, bool Completed, EvaluationResult? Evaluation, IReadOnlyList<EpochRecord> History,
    TimeSpan Elapsed, string? OnnxPath, string DatasetFingerprint, ModelMetrics? Metrics);
