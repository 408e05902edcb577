using Fer.Contracts;

namespace Fer.Imaging;

/// <summary>
/// The model's canonical input for one image: a 48x48 grayscale face crop, row-major, values in [0, 1]
/// (one [1, 48, 48] slice of the model's float32 [N, 1, 48, 48] input).
/// </summary>
public sealed class FaceImage
{
    public const int Size = ModelInput.CropSize;
    public const int PixelCount = Size * Size;

    public FaceImage(float[] pixels, int sourceWidth, int sourceHeight)
    {
        if (pixels.Length != PixelCount)
            throw new ArgumentException($"a face image has {PixelCount} pixels, not {pixels.Length}", nameof(pixels));
        Pixels = pixels;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
    }

    public float[] Pixels { get; }

    /// <summary>The decoded image's size after EXIF orientation, before cropping.</summary>
    public int SourceWidth { get; }

    public int SourceHeight { get; }

    /// <summary>The crop as an 8-bit grayscale PNG: what the model saw.</summary>
    public byte[] ToPng()
    {
        var gray = new byte[PixelCount];
        for (var i = 0; i < gray.Length; i++) gray[i] = (byte)Math.Clamp(MathF.Round(Pixels[i] * 255f), 0, 255);
        return GrayPng.Encode(gray, Size, Size);
    }
}
