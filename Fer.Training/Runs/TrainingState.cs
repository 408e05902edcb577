using System.Text.Json;
using Fer.Contracts;
using Fer.Training.Evaluation;

namespace Fer.Training.Runs;

/// <summary>
/// What <c>--resume</c> needs, rewritten after every epoch: the options, where the run stands (the phase index and the
/// next epoch), the early-stopping counters and the history. Weights are in <see cref="RunFiles.LastCheckpoint"/>.
/// </summary>
public sealed record TrainingState
{
    public required TrainingOptions Options { get; init; }
    public required string TrainFingerprint { get; init; }
    public int PhaseIndex { get; init; }
    public int NextEpoch { get; init; } = 1;
    public double PhaseBestScore { get; init; } = double.NegativeInfinity;
    public int EpochsSinceBest { get; init; }
    public double BestScore { get; init; } = double.NegativeInfinity;
    public int BestPhase { get; init; }
    public int BestEpoch { get; init; }
    public bool TrainingFinished { get; init; }
    public IReadOnlyList<EpochRecord> History { get; init; } = [];

    public static TrainingState Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.State);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not a run folder (no {RunFiles.State})", path);
        return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), EvaluationReport.JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty");
    }

    public void Write(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.State);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, EvaluationReport.JsonOptions));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
