using Fer.Inference.Batching;

namespace Fer.Inference.Prediction;

/// <summary>Where the n-th crop of a request landed when its crops ran in chunks of at most a batch each.</summary>
internal sealed class PredictionRows(BatchResult[] runs, int chunkSize)
{
    public int Count { get; } = runs.Sum(run => run.Images);

    public (BatchResult Result, int Row) Of(int crop) => (runs[crop / chunkSize], crop % chunkSize);

    /// <summary>The n-th crop's most probable class and its probability.</summary>
    public (int Class, float Confidence) Best(int crop)
    {
        var (result, row) = Of(crop);
        var probabilities = result.ProbabilitiesOf(row);
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++)
            if (probabilities[c] > probabilities[best]) best = c;
        return (best, probabilities[best]);
    }

    /// <summary>Every crop's most probable class and its probability, in order.</summary>
    public (int Class, float Confidence)[] BestOfAll() => [.. Enumerable.Range(0, Count).Select(Best)];

    /// <summary>The longest model run among the chunks: what the model itself cost the request. Queue waits are left
    /// out: in shadow the candidate runs after production has answered, beside other requests, so its waits say how
    /// busy the replica was, not how fast the model is.</summary>
    public TimeSpan ModelTime => runs.Length == 0 ? TimeSpan.Zero : runs.Max(run => run.RunTime);
}
