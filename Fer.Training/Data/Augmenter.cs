using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>
/// Augments one 48x48 image in place of another: horizontal flip, rotation/shift/scale about the centre (bilinear,
/// edges clamped), brightness and contrast jitter clamped to [0, 1], then sometimes a Gaussian blur and sometimes one
/// erased rectangle. The random draws come from the caller's generator, so a (seed, epoch, sample) triple always gives
/// the same result.
/// </summary>
public sealed class Augmenter(AugmentationOptions options)
{
    private const int Size = FaceImage.Size;
    private const float Centre = (Size - 1) / 2f;

    public AugmentationOptions Options { get; } = options;

    public void Apply(ReadOnlySpan<float> source, Span<float> destination, Random random, out bool flipped)
    {
        flipped = Options.HorizontalFlip && random.Next(2) == 1;
        var angle = Uniform(random, -Options.MaxRotationDegrees, Options.MaxRotationDegrees) * Math.PI / 180;
        var (shiftX, shiftY, scale) = Options.Framing is { } framing
            ? framing.Draw(random, Size)
            : (Uniform(random, -Options.MaxShiftFraction, Options.MaxShiftFraction) * Size,
                Uniform(random, -Options.MaxShiftFraction, Options.MaxShiftFraction) * Size,
                Uniform(random, Options.MinScale, Options.MaxScale));
        var brightness = (float)Uniform(random, 1 - Options.Brightness, 1 + Options.Brightness);
        var contrast = (float)Uniform(random, 1 - Options.Contrast, 1 + Options.Contrast);

        if (angle == 0 && shiftX == 0 && shiftY == 0 && scale == 1) Copy(source, destination, flipped);
        else Warp(source, destination, flipped, angle, shiftX, shiftY, scale);

        if (brightness != 1 || contrast != 1) Jitter(destination, brightness, contrast);
        // Nothing is drawn for an augmentation that is off, so the default recipe draws what it drew before these existed.
        if (Options.BlurProbability > 0 && random.NextDouble() < Options.BlurProbability)
            Blur(destination, (float)Uniform(random, 0.1, Options.MaxBlurSigma));
        if (Options.EraseProbability > 0 && random.NextDouble() < Options.EraseProbability) Erase(destination, random);
    }

    private static void Jitter(Span<float> image, float brightness, float contrast)
    {
        var mean = 0f;
        foreach (var v in image) mean += v;
        mean = mean * brightness / image.Length;
        for (var i = 0; i < image.Length; i++)
            image[i] = Math.Clamp((image[i] * brightness - mean) * contrast + mean, 0f, 1f);
    }

    /// <summary>A separable Gaussian of the given sigma, three sigmas each side, edges clamped.</summary>
    public static void Blur(Span<float> image, float sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new float[2 * radius + 1];
        var sum = 0f;
        for (var i = -radius; i <= radius; i++) sum += kernel[i + radius] = MathF.Exp(-i * i / (2 * sigma * sigma));
        for (var i = 0; i < kernel.Length; i++) kernel[i] /= sum;

        Span<float> rows = stackalloc float[FaceImage.PixelCount];
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var v = 0f;
            for (var k = -radius; k <= radius; k++) v += kernel[k + radius] * image[y * Size + Math.Clamp(x + k, 0, Size - 1)];
            rows[y * Size + x] = v;
        }
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var v = 0f;
            for (var k = -radius; k <= radius; k++) v += kernel[k + radius] * rows[Math.Clamp(y + k, 0, Size - 1) * Size + x];
            image[y * Size + x] = v;
        }
    }

    // Random erasing: a rectangle of 2-33 % of the image with an aspect ratio of 0.3-3.3 (log-uniform), painted one random
    // grey; as in torchvision, ten draws to find one that fits, else the image stays as it is.
    private static void Erase(Span<float> image, Random random)
    {
        var grey = (float)random.NextDouble();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var area = Uniform(random, 0.02, 0.33) * FaceImage.PixelCount;
            var aspect = Math.Exp(Uniform(random, Math.Log(0.3), Math.Log(3.3)));
            var height = (int)Math.Round(Math.Sqrt(area * aspect));
            var width = (int)Math.Round(Math.Sqrt(area / aspect));
            if (height > Size || width > Size || height == 0 || width == 0) continue;
            var top = random.Next(Size - height + 1);
            var left = random.Next(Size - width + 1);
            for (var y = top; y < top + height; y++) image.Slice(y * Size + left, width).Fill(grey);
            return;
        }
    }

    /// <summary>The mirror image (what the feature cache stores beside each original).</summary>
    public static void Flip(ReadOnlySpan<float> source, Span<float> destination) => Copy(source, destination, true);

    private static void Copy(ReadOnlySpan<float> source, Span<float> destination, bool flipped)
    {
        if (!flipped)
        {
            source.CopyTo(destination);
            return;
        }
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
            destination[y * Size + x] = source[y * Size + Size - 1 - x];
    }

    // Inverse mapping: for each output pixel find where it came from (undo shift, scale, rotation; then the flip).
    private static void Warp(ReadOnlySpan<float> source, Span<float> destination, bool flipped, double angle, double shiftX,
        double shiftY, double scale)
    {
        var cos = (float)(Math.Cos(angle) / scale);
        var sin = (float)(Math.Sin(angle) / scale);
        for (var y = 0; y < Size; y++)
        {
            var dy = y - Centre - (float)shiftY;
            for (var x = 0; x < Size; x++)
            {
                var dx = x - Centre - (float)shiftX;
                var sx = cos * dx + sin * dy + Centre;
                var sy = -sin * dx + cos * dy + Centre;
                if (flipped) sx = Size - 1 - sx;
                destination[y * Size + x] = Bilinear(source, sx, sy);
            }
        }
    }

    private static float Bilinear(ReadOnlySpan<float> source, float x, float y)
    {
        x = Math.Clamp(x, 0, Size - 1);
        y = Math.Clamp(y, 0, Size - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, Size - 1), y1 = Math.Min(y0 + 1, Size - 1);
        float fx = x - x0, fy = y - y0;
        var top = source[y0 * Size + x0] * (1 - fx) + source[y0 * Size + x1] * fx;
        var bottom = source[y1 * Size + x0] * (1 - fx) + source[y1 * Size + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double Uniform(Random random, double min, double max) =>
        min == max ? min : min + random.NextDouble() * (max - min);
}
