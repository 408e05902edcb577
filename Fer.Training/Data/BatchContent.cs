namespace Fer.Training.Data;

/// <summary>What a batch loader puts into each batch.</summary>
public enum BatchContent
{
    /// <summary>Pixels as stored, in dataset order: evaluation.</summary>
    Plain,

    /// <summary>Shuffled, augmented pixels: training on the live network.</summary>
    Augmented,

    /// <summary>Shuffled indices and flip choices only: training on cached features.</summary>
    IndicesOnly,
}
