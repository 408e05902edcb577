namespace Fer.Contracts;

/// <summary>One finished epoch of one phase: what the loss/accuracy plots and the resume state are made of.</summary>
public sealed record EpochRecord(
    int Phase,
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationMacroF1,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    bool FromFeatureCache);
