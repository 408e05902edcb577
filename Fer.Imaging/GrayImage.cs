using SkiaSharp;

namespace Fer.Imaging;

/// <summary>A whole upright image as 8-bit luma, row-major, <see cref="Width"/> bytes a row: what face detection looks at
/// and what faces are cropped from.</summary>
public sealed class GrayImage
{
    public GrayImage(byte[] pixels, int width, int height)
    {
        if (width < 1 || height < 1 || pixels.Length != (long)width * height)
            throw new ArgumentException($"a {width}x{height} image has {(long)width * height} pixels, not {pixels.Length}", nameof(pixels));
        (Pixels, Width, Height) = (pixels, width, height);
    }

    public byte[] Pixels { get; }

    public int Width { get; }

    public int Height { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    /// <summary>The square with the given upright position and side, area-resampled to the model's 48x48 input in [0, 1];
    /// where the square leaves the image its pixels repeat the nearest edge pixel (as FER2013's own crops were padded).</summary>
    public FaceImage CropSquare(int left, int top, int side)
    {
        if (side < 1) throw new ArgumentOutOfRangeException(nameof(side), side, "a crop has a side of at least one pixel");
        var resampler = new AreaResampler(left, top, side, FaceImage.Size);
        var row = new float[side];
        for (var y = top; y < top + side; y++)
        {
            var source = Pixels.AsSpan(Math.Clamp(y, 0, Height - 1) * Width, Width);
            for (var i = 0; i < side; i++) row[i] = source[Math.Clamp(left + i, 0, Width - 1)];
            resampler.AddRow(y, row);
        }
        return new FaceImage(resampler.Result(), Width, Height);
    }

    /// <summary>The image as it is meant to be seen, from the stored pixels and their EXIF orientation.</summary>
    internal static GrayImage Upright(byte[] stored, int width, int height, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return new GrayImage(stored, width, height);
        var (uprightWidth, uprightHeight) = Orientation.SwapsAxes(origin) ? (height, width) : (width, height);
        var upright = new byte[stored.Length];
        for (var y = 0; y < uprightHeight; y++)
        for (var x = 0; x < uprightWidth; x++)
        {
            var (sx, sy) = Orientation.SourceOf(x, y, width, height, origin);
            upright[y * uprightWidth + x] = stored[sy * width + sx];
        }
        return new GrayImage(upright, uprightWidth, uprightHeight);
    }
}
