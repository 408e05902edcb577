namespace Fer.Training.Runs;

/// <summary>One training phase: which parameter tensors train (the last <see cref="TrainableTensors"/>, or all when
/// null), at what learning rate, for at most how many epochs.</summary>
public sealed record PhasePlan(int Number, string Name, int Epochs, double LearningRate, int? TrainableTensors);
