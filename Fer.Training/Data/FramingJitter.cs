namespace Fer.Training.Data;

/// <summary>A face detector's framing error, as Gaussian spreads: the crop's centre off the true one (fractions of the
/// side) and its side off the true side (natural log). Training jittered by it sees faces framed as serving frames them.</summary>
public sealed record FramingJitter(double CentreSdX, double CentreSdY, double LogScaleSd)
{
    /// <summary>The shipped detector (UltraFace RFB-640) with the fitted framing, measured on FER2013 validation faces in
    /// composite frames by the faces-fit benchmark (docs/faces.md).</summary>
    public static FramingJitter UltraFaceRfb640 { get; } = new(0.052, 0.058, 0.152);

    /// <summary>Draws are cut at this many standard deviations, so a rare draw cannot push the face out of the crop.</summary>
    public const double Cutoff = 3;

    public string? Problem() =>
        CentreSdX is < 0 or > 0.25 || CentreSdY is < 0 or > 0.25 ? $"framing centre spreads must be 0..0.25 (got {CentreSdX}, {CentreSdY})"
        : LogScaleSd is < 0 or > 0.5 ? $"framing scale spread must be 0..0.5 (got {LogScaleSd})"
        : null;

    /// <summary>One draw: the face's shift in pixels of a <paramref name="size"/>-pixel crop and its zoom factor.</summary>
    public (double ShiftX, double ShiftY, double Scale) Draw(Random random, int size) =>
        (-Normal(random, CentreSdX) * size, -Normal(random, CentreSdY) * size, Math.Exp(-Normal(random, LogScaleSd)));

    // A crop whose centre sits right of the face shows the face left of centre; a larger crop shows a smaller face: hence
    // the minus signs (the spreads are symmetric, so the signs only keep the meaning straight).
    private static double Normal(Random random, double sd)
    {
        if (sd == 0) return 0;
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Clamp(z, -Cutoff, Cutoff) * sd;
    }
}
