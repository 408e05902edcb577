using SkiaSharp;

namespace Fer.Imaging;

/// <summary>Applies an EXIF orientation to a single-channel image so that it stands the way the camera held it.</summary>
internal static class Orientation
{
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>The stored pixel shown at (<paramref name="x"/>, <paramref name="y"/>) of the upright view of a
    /// <paramref name="width"/> x <paramref name="height"/> stored image.</summary>
    public static (int X, int Y) SourceOf(int x, int y, int width, int height, SKEncodedOrigin origin) => origin switch
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

    public static float[] Apply(float[] source, int width, int height, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return source;

        var (outWidth, outHeight) = SwapsAxes(origin) ? (height, width) : (width, height);
        var result = new float[source.Length];
        for (var y = 0; y < outHeight; y++)
        for (var x = 0; x < outWidth; x++)
        {
            var (sx, sy) = SourceOf(x, y, width, height, origin);
            result[y * outWidth + x] = source[sy * width + sx];
        }
        return result;
    }
}
