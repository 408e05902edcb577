using SkiaSharp;

namespace Fer.Imaging;

/// <summary>
/// Turns any image into the model's canonical input, identically for training and serving: decode, honour EXIF
/// orientation, grayscale (ITU-R BT.601 luma, as PIL and torchvision compute it), centre square crop, area-resample
/// to 48x48, scale to [0, 1].
/// </summary>
public static class FaceImageDecoder
{
    /// <summary>Default decompression-bomb guard: 40 megapixels.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    public static FaceImage Decode(byte[] bytes, long maxPixels = DefaultMaxPixels)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageDecodeException(ImageDecodeError.NotAnImage,
                "the bytes are not an image (expected JPEG, PNG, WebP, BMP or GIF)");

        var info = codec.Info;
        if ((long)info.Width * info.Height > maxPixels)
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels,
                $"the image is {info.Width}x{info.Height} pixels; at most {maxPixels:N0} pixels are accepted");

        var luma = DecodeLuma(codec, info.Width, info.Height);
        var (width, height, oriented) = Orientation.Apply(luma, info.Width, info.Height, codec.EncodedOrigin);
        return new FaceImage(AreaResample.CentreSquare(oriented, width, height, FaceImage.Size), width, height);
    }

    private static float[] DecodeLuma(SKCodec codec, int width, int height)
    {
        // Decode into an explicit RGBA layout: SkiaSharp's native default on Linux is BGRA.
        var rgbaInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[rgbaInfo.BytesSize];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* pixels = rgba)
                result = codec.GetPixels(rgbaInfo, (IntPtr)pixels);
        }
        if (result == SKCodecResult.IncompleteInput)
            throw new ImageDecodeException(ImageDecodeError.Corrupt, "the image data is truncated");
        if (result != SKCodecResult.Success)
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"the image data could not be decoded ({result})");

        var luma = new float[width * height];
        for (var i = 0; i < luma.Length; i++)
        {
            int r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            // Composite transparent pixels on white, as a browser shows them.
            var alpha = rgba[4 * i + 3] / 255f;
            var y = (r * 299 + g * 587 + b * 114) / 1000f;
            luma[i] = y * alpha + 255f * (1 - alpha);
        }
        return luma;
    }
}
