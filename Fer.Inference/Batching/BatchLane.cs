using Fer.Imaging;

namespace Fer.Inference.Batching;

/// <summary>One of the batcher's lanes: the batch it is gathering or running, the thread its batches run on, and the
/// model input its batches are copied into (one buffer for the lane's life: a new one a batch was a large-object
/// allocation, up to 295 KB, dozens of times a second, and kept the background GC busy).</summary>
internal sealed class BatchLane(int capacity, LaneThread thread)
{
    public List<BatchRequest> Batch { get; } = new(capacity);

    public float[] Input { get; } = new float[capacity * FaceImage.PixelCount];

    /// <summary>Where the lane's batches run.</summary>
    public LaneThread Thread { get; } = thread;
}
