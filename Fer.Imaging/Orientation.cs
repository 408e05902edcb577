using SkiaSharp;

namespace Fer.Imaging;

/// <summary>Applies an EXIF orientation to a single-channel image so that it stands the way the camera held it.</summary>
internal static class Orientation
{
    public static (int Width, int Height, float[] Pixels) Apply(float[] source, int width, int height, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return (width, height, source);

        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (outWidth, outHeight) = swaps ? (height, width) : (width, height);
        var result = new float[source.Length];
        for (var y = 0; y < outHeight; y++)
        for (var x = 0; x < outWidth; x++)
        {
            var (sx, sy) = origin switch
            {
                SKEncodedOrigin.TopRight => (width - 1 - x, y),              // 2: mirrored
                SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y), // 3: rotated 180
                SKEncodedOrigin.BottomLeft => (x, height - 1 - y),           // 4: mirrored vertically
                SKEncodedOrigin.LeftTop => (y, x),                           // 5: transposed
                SKEncodedOrigin.RightTop => (y, height - 1 - x),             // 6: rotate 90 clockwise to view
                SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x), // 7: transverse
                SKEncodedOrigin.LeftBottom => (width - 1 - y, x),            // 8: rotate 90 counter-clockwise to view
                _ => (x, y),
            };
            result[y * outWidth + x] = source[sy * width + sx];
        }
        return (outWidth, outHeight, result);
    }
}
