namespace Fer.Training.Data;

/// <summary>Training-time augmentation of the 48x48 input (the seed's kind: flip, small affine, photometric jitter).</summary>
public sealed record AugmentationOptions
{
    /// <summary>Only horizontal flips: the one augmentation a feature cache can hold (each image and its mirror).</summary>
    public static AugmentationOptions FlipOnly { get; } = new()
    {
        MaxRotationDegrees = 0, MaxShiftFraction = 0, MinScale = 1, MaxScale = 1, Brightness = 0, Contrast = 0,
    };

    public bool HorizontalFlip { get; init; } = true;
    public double MaxRotationDegrees { get; init; } = 10;
    public double MaxShiftFraction { get; init; } = 0.1;
    public double MinScale { get; init; } = 0.9;
    public double MaxScale { get; init; } = 1.1;

    /// <summary>Brightness factor drawn from [1 - b, 1 + b].</summary>
    public double Brightness { get; init; } = 0.2;

    /// <summary>Contrast factor drawn from [1 - c, 1 + c], about the image mean.</summary>
    public double Contrast { get; init; } = 0.2;

    /// <summary>True when nothing but the flip varies, so cached features of an image and its mirror cover every case.</summary>
    public bool IsFlipOnly =>
        MaxRotationDegrees == 0 && MaxShiftFraction == 0 && MinScale == 1 && MaxScale == 1 && Brightness == 0 && Contrast == 0;

    public void Validate()
    {
        if (MaxRotationDegrees is < 0 or > 180) throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "must be 0..180");
        if (MaxShiftFraction is < 0 or > 0.5) throw new ArgumentOutOfRangeException(nameof(MaxShiftFraction), MaxShiftFraction, "must be 0..0.5");
        if (MinScale <= 0 || MaxScale < MinScale) throw new ArgumentOutOfRangeException(nameof(MinScale), MinScale, "need 0 < MinScale <= MaxScale");
        if (Brightness is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Brightness), Brightness, "must be 0..1 (exclusive)");
        if (Contrast is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Contrast), Contrast, "must be 0..1 (exclusive)");
    }
}
