namespace Fer.Training.Data;

/// <summary>Training-time augmentation of the 48x48 input: flip, small affine, photometric jitter (the seed's kind), and, when
/// asked for, a Gaussian blur and a random erasing (Zhong et al. 2020), so the model meets soft focus and covered parts of
/// a face (off by default: Fer.Training/Runs/NOTES.md, "Blur and random erasing").</summary>
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

    /// <summary>The share of images blurred by a Gaussian of sigma drawn from [0.1, <see cref="MaxBlurSigma"/>] pixels
    /// (torchvision's GaussianBlur range).</summary>
    public double BlurProbability { get; init; }

    public double MaxBlurSigma { get; init; } = 2;

    /// <summary>The share of images with one rectangle painted a single random grey: 2-33 % of the image, aspect ratio
    /// 0.3-3.3 (the published random-erasing defaults).</summary>
    public double EraseProbability { get; init; }

    /// <summary>When set, the shift and the scale are drawn from a detector's measured framing error instead of the uniform
    /// ranges above.</summary>
    public FramingJitter? Framing { get; init; }

    /// <summary>True when nothing but the flip varies, so cached features of an image and its mirror cover every case.</summary>
    public bool IsFlipOnly =>
        MaxRotationDegrees == 0 && MaxShiftFraction == 0 && MinScale == 1 && MaxScale == 1 && Brightness == 0 && Contrast == 0
        && BlurProbability == 0 && EraseProbability == 0 && Framing is null;

    /// <summary>What is wrong with these ranges, or null when they are valid.</summary>
    public string? Problem() =>
        MaxRotationDegrees is < 0 or > 180 ? $"maxRotationDegrees must be 0..180 (got {MaxRotationDegrees})"
        : MaxShiftFraction is < 0 or > 0.5 ? $"maxShiftFraction must be 0..0.5 (got {MaxShiftFraction})"
        : MinScale <= 0 || MaxScale < MinScale ? $"need 0 < minScale <= maxScale (got {MinScale}, {MaxScale})"
        : Brightness is < 0 or >= 1 ? $"brightness must be in [0, 1) (got {Brightness})"
        : Contrast is < 0 or >= 1 ? $"contrast must be in [0, 1) (got {Contrast})"
        : BlurProbability is < 0 or > 1 ? $"blurProbability must be 0..1 (got {BlurProbability})"
        : MaxBlurSigma is < 0.1 or > 5 ? $"maxBlurSigma must be 0.1..5 (got {MaxBlurSigma})"
        : EraseProbability is < 0 or > 1 ? $"eraseProbability must be 0..1 (got {EraseProbability})"
        : Framing?.Problem();
}
