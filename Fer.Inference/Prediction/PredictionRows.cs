using Fer.Inference.Batching;

namespace Fer.Inference.Prediction;

/// <summary>Where the n-th crop of a request landed when its crops ran in chunks of at most a batch each.</summary>
internal sealed class PredictionRows(BatchResult[] runs, int chunkSize)
{
    public (BatchResult Result, int Row) Of(int crop) => (runs[crop / chunkSize], crop % chunkSize);
}
