namespace Fer.Training.Runs;

public enum AugmentationMode
{
    /// <summary>Flips only while part of the network is frozen (so its output can be cached), full augmentation when
    /// every layer trains.</summary>
    Auto,

    /// <summary>Flip, affine and brightness/contrast jitter in every phase (the feature cache cannot be used).</summary>
    Full,

    /// <summary>Horizontal flips only.</summary>
    Flip,

    /// <summary>No augmentation.</summary>
    None,
}
