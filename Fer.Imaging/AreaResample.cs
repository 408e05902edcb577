namespace Fer.Imaging;

/// <summary>
/// Centre square crop followed by area resampling: each output pixel is the coverage-weighted mean of the source
/// pixels under it (a box filter with fractional edges), so downscaling never aliases and 48 -> 48 is the identity.
/// </summary>
internal static class AreaResample
{
    public static float[] CentreSquare(float[] source, int width, int height, int size)
    {
        var side = Math.Min(width, height);
        int left = (width - side) / 2, top = (height - side) / 2;
        var columns = Weights(side, size);
        var rows = Weights(side, size);

        // Separable: first along x for every source row of the crop, then along y.
        var horizontal = new float[side * size];
        for (var y = 0; y < side; y++)
        {
            var row = (top + y) * width + left;
            for (var x = 0; x < size; x++)
            {
                var sum = 0f;
                foreach (var (index, weight) in columns[x]) sum += source[row + index] * weight;
                horizontal[y * size + x] = sum;
            }
        }
        var result = new float[size * size];
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var sum = 0f;
            foreach (var (index, weight) in rows[y]) sum += horizontal[index * size + x] * weight;
            result[y * size + x] = Math.Clamp(sum / 255f, 0f, 1f);
        }
        return result;
    }

    /// <summary>For each output index, the source indices it covers and their normalised coverage.</summary>
    private static (int Index, float Weight)[][] Weights(int sourceLength, int outputLength)
    {
        var scale = (double)sourceLength / outputLength;
        var weights = new (int, float)[outputLength][];
        for (var o = 0; o < outputLength; o++)
        {
            double start = o * scale, end = (o + 1) * scale;
            var taps = new List<(int, float)>();
            for (var s = (int)Math.Floor(start); s < Math.Min(sourceLength, (int)Math.Ceiling(end)); s++)
            {
                var coverage = Math.Min(end, s + 1) - Math.Max(start, s);
                if (coverage > 1e-9) taps.Add((s, (float)(coverage / scale)));
            }
            weights[o] = taps.ToArray();
        }
        return weights;
    }
}
