namespace Fer.Inference.Batching;

/// <summary>A request's share of a model run: its rows of the outputs, which model computed them, and where the time went.</summary>
public sealed record BatchResult(
    string ModelVersion,
    IReadOnlyList<string> Labels,
    int Images,
    float[] Probabilities,
    float[]? Logits,
    int BatchSize,
    TimeSpan QueueTime,
    TimeSpan RunTime)
{
    public int Classes => Labels.Count;

    public ReadOnlySpan<float> ProbabilitiesOf(int image) => Probabilities.AsSpan(image * Classes, Classes);
}
