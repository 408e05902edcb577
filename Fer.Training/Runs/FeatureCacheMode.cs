namespace Fer.Training.Runs;

public enum FeatureCacheMode
{
    /// <summary>Cache the frozen part's output whenever it is valid (flip-only augmentation) and fits the memory bound.</summary>
    Auto,

    /// <summary>Always run the whole network on every batch.</summary>
    Off,
}
