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

    /// <summary>When set, the shift and the scale are drawn from a detector's measured framing error instead of the uniform
    /// ranges above.</summary>
    public FramingJitter? Framing { get; init; }

    /// <summary>True when nothing but the flip varies, so cached features of an image and its mirror cover every case.</summary>
    public bool IsFlipOnly =>
        MaxRotationDegrees == 0 && MaxShiftFraction == 0 && MinScale == 1 && MaxScale == 1 && Brightness == 0 && Contrast == 0
        && Framing is null;

    /// <summary>What is wrong with these ranges, or null when they are valid.</summary>
    public string? Problem() =>
        MaxRotationDegrees is < 0 or > 180 ? $"maxRotationDegrees must be 0..180 (got {MaxRotationDegrees})"
        : MaxShiftFraction is < 0 or > 0.5 ? $"maxShiftFraction must be 0..0.5 (got {MaxShiftFraction})"
        : MinScale <= 0 || MaxScale < MinScale ? $"need 0 < minScale <= maxScale (got {MinScale}, {MaxScale})"
        : Brightness is < 0 or >= 1 ? $"brightness must be in [0, 1) (got {Brightness})"
        : Contrast is < 0 or >= 1 ? $"contrast must be in [0, 1) (got {Contrast})"
        : Framing?.Problem();
}
