using Fer.Training.Evaluation;

namespace Fer.Training.Runs;

/// <summary>How a run ended: its folder, whether it completed (false: cancelled, resumable), and its final evaluation.</summary>
public sealed record TrainingResult(string RunDirectory, bool Completed, EvaluationResult? Evaluation, IReadOnlyList<EpochRecord> History,
    TimeSpan Elapsed, string? OnnxPath);
