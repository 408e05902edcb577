namespace Fer.Faces.Composites;

/// <summary>A box blur of radius r (the mean of 2r + 1 pixels, edges repeated) along rows or columns, with running sums.</summary>
internal static class BoxBlur
{
    public static void Rows(float[] pixels, int width, int height, int radius)
    {
        var line = new float[width];
        for (var y = 0; y < height; y++)
        {
            pixels.AsSpan(y * width, width).CopyTo(line);
            Blur(line, pixels.AsSpan(y * width, width), radius);
        }
    }

    public static void Columns(float[] pixels, int width, int height, int radius)
    {
        float[] line = new float[height], blurred = new float[height];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++) line[y] = pixels[y * width + x];
            Blur(line, blurred, radius);
            for (var y = 0; y < height; y++) pixels[y * width + x] = blurred[y];
        }
    }

    private static void Blur(ReadOnlySpan<float> line, Span<float> output, int radius)
    {
        var last = line.Length - 1;
        var sum = 0f;
        for (var i = -radius; i <= radius; i++) sum += line[Math.Clamp(i, 0, last)];
        for (var i = 0; i < line.Length; i++)
        {
            output[i] = sum / (2 * radius + 1);
            sum += line[Math.Min(i + radius + 1, last)] - line[Math.Max(i - radius, 0)];
        }
    }
}
