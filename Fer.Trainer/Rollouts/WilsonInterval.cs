namespace Fer.Trainer.Rollouts;

/// <summary>
/// Wilson's score interval for a share seen in a sample: the gates fail a candidate early only when the whole interval
/// is on the wrong side of the line, so a healthy candidate's first few unlucky requests cannot roll it back (20 faces
/// agreeing at the 0.83 two trained versions share leave 0.75 inside one standard deviation).
/// </summary>
public static class WilsonInterval
{
    /// <summary>z for 99.5 % on one side: at most one healthy candidate in 200 fails a gate's single look by chance.</summary>
    public const double Z = 2.576;

    public static double Lower(long hits, long count) => Bound(hits, count, -1);

    public static double Upper(long hits, long count) => Bound(hits, count, +1);

    private static double Bound(long hits, long count, int side)
    {
        if (count == 0) return side < 0 ? 0 : 1;
        var n = (double)count;
        var p = hits / n;
        var z2 = Z * Z;
        var centre = p + z2 / (2 * n);
        var spread = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return Math.Clamp((centre + side * spread) / (1 + z2 / n), 0, 1);
    }
}
