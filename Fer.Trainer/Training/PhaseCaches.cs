namespace Fer.Trainer.Training;

/// <summary>A phase's feature caches: training images (and mirrors) and validation images, at the same level.</summary>
public sealed record PhaseCaches(FeatureCache Train, FeatureCache Validation) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
