namespace Fer.Inference.Batching;

/// <summary>One of the batcher's lanes: the batch it is gathering or running, and the request that did not fit in its
/// last batch and opens its next one.</summary>
internal sealed class BatchLane(int capacity)
{
    public List<BatchRequest> Batch { get; } = new(capacity);

    public BatchRequest? Carried { get; set; }
}
