namespace Fer.Trainer.Jobs;

/// <summary>No usable training data: the message says where the trainer looked and what layout it wants.</summary>
public sealed class TrainingDataNotFoundException(string message) : Exception(message);
