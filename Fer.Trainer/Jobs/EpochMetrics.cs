namespace Fer.Trainer.Jobs;

/// <summary>One finished epoch, as a job reports it.</summary>
public sealed record EpochMetrics(
    int Phase,
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationMacroF1,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond);
