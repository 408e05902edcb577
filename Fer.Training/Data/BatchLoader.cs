using System.Collections.Concurrent;
using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>
/// Builds batches on worker threads, a few ahead of the consumer, in parallel within each batch. The order and every
/// augmentation depend only on (seed, epoch, sample index), never on thread timing, so a run is reproducible.
/// </summary>
public sealed class BatchLoader(FaceDataset data, int batchSize, int seed, Augmenter? augmenter = null, int prefetch = 3)
{
    public int BatchesPerEpoch(BatchContent content) => Plan(0, content).Count;

    /// <summary>The epoch's batches; leaving the enumeration early stops the workers.</summary>
    public IEnumerable<FaceBatch> Epoch(int epoch, BatchContent content, CancellationToken cancellationToken = default)
    {
        if (content == BatchContent.Augmented && augmenter is null)
            throw new InvalidOperationException("augmented batches need an augmenter");
        var plan = Plan(epoch, content);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<FaceBatch>(Math.Max(1, prefetch));
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var indices in plan)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    queue.Add(Build(indices, epoch, content), stop.Token);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, stop.Token);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken)) yield return batch;
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(CancellationToken.None); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
        }
    }

    private List<int[]> Plan(int epoch, BatchContent content)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        if (content != BatchContent.Plain) new Random(SeedMix.Of(seed, epoch, -1)).Shuffle(order);
        var batches = order.Chunk(batchSize).ToList();
        // A training batch of one cannot pass BatchNorm in training mode: fold it away.
        if (content != BatchContent.Plain && batches.Count > 0 && batches[^1].Length == 1 && data.Count > 1) batches.RemoveAt(batches.Count - 1);
        return batches;
    }

    private FaceBatch Build(int[] indices, int epoch, BatchContent content)
    {
        var count = indices.Length;
        var labels = new long[count];
        var flipped = new bool[count];
        var pixels = content == BatchContent.IndicesOnly ? [] : new float[count * FaceImage.PixelCount];
        Parallel.For(0, count, i =>
        {
            var sample = data.Samples[indices[i]];
            labels[i] = sample.Label;
            var random = new Random(SeedMix.Of(seed, epoch, indices[i]));
            switch (content)
            {
                case BatchContent.Plain:
                    sample.Pixels.CopyTo(pixels, i * FaceImage.PixelCount);
                    break;
                case BatchContent.Augmented:
                    augmenter!.Apply(sample.Pixels, pixels.AsSpan(i * FaceImage.PixelCount, FaceImage.PixelCount), random, out flipped[i]);
                    break;
                case BatchContent.IndicesOnly:
                    flipped[i] = augmenter is { Options.HorizontalFlip: true } && random.Next(2) == 1;
                    break;
            }
        });
        return new FaceBatch(pixels, labels, indices, flipped);
    }
}
