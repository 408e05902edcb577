using Fer.Contracts;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// What a <see cref="IModelTrainer"/> reports while it runs: the stage (loading, caching, training, validating,
/// evaluating, exporting), where in the phase/epoch/batch it is, the running loss and throughput, and, once per epoch,
/// the finished epoch's metrics.
/// </summary>
public sealed record TrainProgress(
    string Stage,
    int Phase,
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double ImagesPerSecond,
    string? Message = null,
    EpochRecord? CompletedEpoch = null);
