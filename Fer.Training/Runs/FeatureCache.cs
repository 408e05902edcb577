using Fer.Imaging;
using Fer.Training.Data;
using static TorchSharp.torch;

namespace Fer.Training.Runs;

/// <summary>
/// The output of a frozen prefix of the network (the first <see cref="Level"/> units) for every image of a data set,
/// and for its mirror image when <see cref="Variants"/> is 2: a frozen prefix in eval mode is a fixed function, so its
/// output for an un-augmented image never changes and needs computing once. Stored as one tensor, variant-major.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    private readonly Tensor _store;

    private FeatureCache(Tensor store, int count, int variants, int level)
    {
        _store = store;
        Count = count;
        Variants = variants;
        Level = level;
    }

    public int Count { get; }

    /// <summary>1: the images as they are; 2: also their mirror images.</summary>
    public int Variants { get; }

    /// <summary>How many backbone units the cached output has passed through.</summary>
    public int Level { get; }

    public long Bytes => _store.NumberOfElements * _store.ElementSize;

    public ScalarType StorageType => _store.dtype;

    /// <summary>The bytes a cache would take: count x variants x the prefix output of one image.</summary>
    public static long EstimateBytes(NetworkStack stack, int level, int count, int variants, ScalarType storage)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probe = stack.Prefix(zeros(1, 1, FaceImage.Size, FaceImage.Size, device: Device(stack)), level);
        return probe.NumberOfElements * count * variants * ElementSize(storage);
    }

    /// <summary>Runs the first <paramref name="level"/> units (which must be frozen and in eval mode) over the data.</summary>
    public static FeatureCache Build(NetworkStack stack, FaceDataset data, int level, int variants, ScalarType storage, int batchSize,
        Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var device = Device(stack);
        var loader = new BatchLoader(data, batchSize, seed: 0);
        Tensor? store = null;
        var done = 0;
        var batches = loader.BatchesPerEpoch(BatchContent.Plain);
        var batch = 0;
        try
        {
            foreach (var b in loader.Epoch(0, BatchContent.Plain, cancellationToken))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var pixels = tensor(b.Pixels, [b.Count, 1, FaceImage.Size, FaceImage.Size]).to(device);
                for (var v = 0; v < variants; v++)
                {
                    var output = stack.Prefix(v == 0 ? pixels : pixels.flip(3), level);
                    if (store is null)
                    {
                        long[] shape = [(long)data.Count * variants, .. output.shape.Skip(1)];
                        store = empty(shape, dtype: storage, device: device).MoveToOuterDisposeScope();
                    }
                    store.narrow(0, (long)v * data.Count + done, b.Count).copy_(output);
                }
                done += b.Count;
                progress?.Invoke(++batch, batches);
            }
            return new FeatureCache(store!, data.Count, variants, level);
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    /// <summary>Carries this cache further through the (frozen, eval-mode) units <see cref="Level"/>..<paramref name="level"/>.</summary>
    public FeatureCache Derive(NetworkStack stack, int level, int batchSize, CancellationToken cancellationToken)
    {
        Tensor? store = null;
        var total = (long)Count * Variants;
        try
        {
            for (long start = 0; start < total; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var count = Math.Min(batchSize, total - start);
                var output = stack.Continue(_store.narrow(0, start, count).to(ScalarType.Float32), Level, level);
                if (store is null)
                {
                    long[] shape = [total, .. output.shape.Skip(1)];
                    store = empty(shape, dtype: _store.dtype, device: _store.device).MoveToOuterDisposeScope();
                }
                store.narrow(0, start, count).copy_(output);
            }
            return new FeatureCache(store!, Count, Variants, level);
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    /// <summary>The cached outputs for a batch, as float32 on the cache's device.</summary>
    public Tensor Gather(int[] indices, bool[] flipped)
    {
        var rows = new long[indices.Length];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = indices[i] + (flipped[i] && Variants > 1 ? (long)Count : 0);
        using var index = tensor(rows, device: _store.device);
        return _store.index_select(0, index).to(ScalarType.Float32);
    }

    public void Dispose() => _store.Dispose();

    private static Device Device(NetworkStack stack) => stack.Model.parameters().First().device;

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Float64 => 8,
        _ => 4,
    };
}
