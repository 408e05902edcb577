namespace Fer.Training.Runs;

/// <summary>A phase's feature caches: training images (and mirrors) and validation images, at the same level.</summary>
public sealed record PhaseCaches(FeatureCache Train, FeatureCache Validation) : IDisposable
{
    public int Level => Train.Level;

    public int Variants => Train.Variants;

    public long Bytes => Train.Bytes + Validation.Bytes;

    /// <summary>Both caches carried further through the frozen units up to <paramref name="level"/>.</summary>
    public PhaseCaches Derive(NetworkStack stack, int level, int batchSize, CancellationToken cancellationToken)
    {
        var train = Train.Derive(stack, level, batchSize, cancellationToken);
        try
        {
            return new PhaseCaches(train, Validation.Derive(stack, level, batchSize, cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
