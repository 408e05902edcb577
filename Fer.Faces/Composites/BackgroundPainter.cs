using Fer.Imaging;

namespace Fer.Faces.Composites;

/// <summary>Draws the backgrounds of <see cref="CompositeBackground"/> as 8-bit gray, every choice from the given random.</summary>
internal static class BackgroundPainter
{
    public static byte[] Paint(CompositeBackground background, int width, int height, Random random, IReadOnlyList<LabelledFace> faces) =>
        background switch
        {
            CompositeBackground.Flat => Flat(width, height, random),
            CompositeBackground.Gradient => Gradient(width, height, random),
            CompositeBackground.Noise => Blotches(width, height, random),
            _ => Texture(width, height, random, faces),
        };

    private static byte[] Flat(int width, int height, Random random)
    {
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)random.Next(256));
        return pixels;
    }

    private static byte[] Gradient(int width, int height, Random random)
    {
        float from = random.Next(256), to = random.Next(256), angle = random.NextSingle() * 2 * MathF.PI;
        float dx = MathF.Cos(angle), dy = MathF.Sin(angle);
        // The ramp runs from one corner's projection to the opposite one's, so both levels are reached in the frame.
        var reach = (MathF.Abs(dx) * width + MathF.Abs(dy) * height) / 2;
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var t = ((x - width / 2f) * dx + (y - height / 2f) * dy) / reach / 2 + 0.5f;
            pixels[y * width + x] = (byte)Math.Clamp(MathF.Round(from + (to - from) * t), 0, 255);
        }
        return pixels;
    }

    /// <summary>Random levels on a coarse grid, bilinearly interpolated: soft blotches like an out-of-focus scene.</summary>
    private static byte[] Blotches(int width, int height, Random random)
    {
        var spacing = random.Next(24, 97);
        int columns = width / spacing + 2, rows = height / spacing + 2;
        int low = random.Next(0, 128), high = random.Next(128, 256);
        var grid = new float[columns * rows];
        for (var i = 0; i < grid.Length; i++) grid[i] = random.Next(low, high + 1);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var gy = (float)y / spacing;
            int row = (int)gy;
            var fy = gy - row;
            for (var x = 0; x < width; x++)
            {
                var gx = (float)x / spacing;
                int column = (int)gx;
                var fx = gx - column;
                var top = grid[row * columns + column] * (1 - fx) + grid[row * columns + column + 1] * fx;
                var bottom = grid[(row + 1) * columns + column] * (1 - fx) + grid[(row + 1) * columns + column + 1] * fx;
                pixels[y * width + x] = (byte)MathF.Round(top * (1 - fy) + bottom * fy);
            }
        }
        return pixels;
    }

    /// <summary>Faces of the set tiled 3-6 times their size and turned on their side (transposed: a detector of upright faces
    /// should not answer them), then box-blurred twice with a radius of 10-20 pixels.</summary>
    private static byte[] Texture(int width, int height, Random random, IReadOnlyList<LabelledFace> faces)
    {
        var tile = random.Next(144, 289);
        var canvas = new float[width * height];
        for (var top = 0; top < height; top += tile)
        for (var left = 0; left < width; left += tile)
        {
            var face = FaceScaler.Scale(faces[random.Next(faces.Count)].Crop, tile);
            for (var y = top; y < Math.Min(height, top + tile); y++)
            for (var x = left; x < Math.Min(width, left + tile); x++)
                canvas[y * width + x] = face[(x - left) * tile + (y - top)];
        }
        var radius = random.Next(10, 21);
        for (var pass = 0; pass < 2; pass++)
        {
            BoxBlur.Rows(canvas, width, height, radius);
            BoxBlur.Columns(canvas, width, height, radius);
        }
        var pixels = new byte[width * height];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Clamp(MathF.Round(canvas[i]), 0, 255);
        return pixels;
    }
}
