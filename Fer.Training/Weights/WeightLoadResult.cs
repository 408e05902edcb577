namespace Fer.Training.Weights;

/// <summary>What <see cref="StateDictLoader"/> copied, and which names did not pair up (target names, source names).</summary>
public sealed record WeightLoadResult(
    IReadOnlyList<string> Loaded,
    long LoadedValues,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected);
