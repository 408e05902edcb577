using Fer.Contracts;

namespace Fer.Training.Runs;

/// <summary>
/// A progress report for any front end (the CLI's bar, the HTTP service): where the run is, the running loss of the
/// epoch so far, throughput and an estimate of the epoch's remaining time. <see cref="Message"/> is a log line, if any.
/// </summary>
public sealed record TrainingProgress(
    TrainingStage Stage,
    int Phase,
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double ImagesPerSecond,
    TimeSpan? Eta,
    string? Message = null,
    EpochRecord? CompletedEpoch = null);
