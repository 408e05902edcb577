namespace Fer.Contracts.Monitoring;

/// <summary>The input statistics of a canonical 48x48 crop (pixels in [0, 1]) that drift is measured on, computed the
/// same way for the reference at training time and for live traffic: brightness (the mean), contrast (the standard
/// deviation) and sharpness (the mean absolute 4-neighbour Laplacian over the inner pixels, which a blur lowers while
/// it hardly moves the other two).</summary>
public readonly record struct FaceStatistics(double Brightness, double Contrast, double Sharpness)
{
    public static FaceStatistics Of(ReadOnlySpan<float> pixels)
    {
        var side = ModelInput.CropSize;
        if (pixels.Length != side * side)
            throw new ArgumentException($"a crop has {side * side} pixels, not {pixels.Length}", nameof(pixels));
        double sum = 0, squares = 0;
        foreach (var p in pixels)
        {
            sum += p;
            squares += p * p;
        }
        var mean = sum / pixels.Length;
        var variance = Math.Max(0, squares / pixels.Length - mean * mean);

        double laplacian = 0;
        for (var y = 1; y < side - 1; y++)
        for (var x = 1; x < side - 1; x++)
        {
            var i = y * side + x;
            laplacian += Math.Abs(4 * pixels[i] - pixels[i - 1] - pixels[i + 1] - pixels[i - side] - pixels[i + side]);
        }
        return new FaceStatistics(mean, Math.Sqrt(variance), laplacian / ((side - 2) * (side - 2)));
    }
}
