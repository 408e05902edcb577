using System.Numerics;

namespace Fer.Imaging;

/// <summary>
/// Area resampling of a crop (a square, or any rectangle, which is then stretched) to <c>size x size</c>, fed one source
/// row at a time so that no image is ever held whole: each output pixel is the coverage-weighted mean of the source
/// pixels under it (a box filter with fractional edges), so downscaling never aliases and 48 -> 48 is the identity. Separable: each row is first reduced along x,
/// then added into the output rows it covers, in row order (the same sums, in the same order, as a two-pass filter).
/// </summary>
internal sealed class AreaResampler
{
    private readonly int left, top, width, height, size;
    private readonly (int Index, float Weight)[][]? columns;
    private readonly (int Output, float Weight)[][]? rowTargets;
    private readonly float[] reduced;
    private readonly float[] sums;

    public AreaResampler(int left, int top, int side, int size) : this(left, top, side, side, size)
    {
    }

    public AreaResampler(int left, int top, int width, int height, int size)
    {
        (this.left, this.top, this.width, this.height, this.size) = (left, top, width, height, size);
        if (width != size || height != size) // 48 -> 48 (FER2013's own images) copies rows: building its unit weights cost a third of decoding
        {
            columns = Weights(width, size);
            rowTargets = Targets(height == width ? columns : Weights(height, size), height);
        }
        reduced = new float[size];
        sums = new float[size * size];
    }

    /// <summary>The source columns of the crop: <c>[Left, Left + Width)</c>.</summary>
    public int Left => left;

    public int Width => width;

    /// <summary>Whether source row <paramref name="y"/> lies inside the crop.</summary>
    public bool Wants(int y) => y >= top && y < top + height;

    /// <summary>Adds source row <paramref name="y"/>; <paramref name="crop"/> holds its <see cref="Width"/> values from column <see cref="Left"/>.</summary>
    public void AddRow(int y, ReadOnlySpan<float> crop)
    {
        if (columns is null || rowTargets is null)
        {
            crop[..size].CopyTo(sums.AsSpan((y - top) * size, size)); // what the unit weights would sum, bit for bit
            return;
        }
        for (var x = 0; x < size; x++)
        {
            var sum = 0f;
            foreach (var (index, weight) in columns[x]) sum += crop[index] * weight;
            reduced[x] = sum;
        }
        foreach (var (output, weight) in rowTargets[y - top])
        {
            var row = sums.AsSpan(output * size, size);
            for (var x = 0; x < size; x++) row[x] += reduced[x] * weight;
        }
    }

    /// <summary>The output, row-major, scaled from 0..255 to [0, 1]; the resampler's own buffer, so call it once, after
    /// the last row. Vector lanes divide and clamp exactly as scalar code does (IEEE division; the sums are never NaN).</summary>
    public float[] Result()
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= sums.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var scaled = new Vector<float>(sums, i) / new Vector<float>(255f);
                Vector.Min(Vector.Max(scaled, Vector<float>.Zero), Vector<float>.One).CopyTo(sums, i);
            }
        for (; i < sums.Length; i++) sums[i] = Math.Clamp(sums[i] / 255f, 0f, 1f);
        return sums;
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

    /// <summary>The same weights indexed the other way round: for each source index, the outputs it feeds.</summary>
    private static (int Output, float Weight)[][] Targets((int Index, float Weight)[][] weights, int sourceLength)
    {
        var targets = Enumerable.Range(0, sourceLength).Select(_ => new List<(int, float)>()).ToArray();
        for (var o = 0; o < weights.Length; o++)
            foreach (var (index, weight) in weights[o]) targets[index].Add((o, weight));
        return targets.Select(list => list.ToArray()).ToArray();
    }
}
