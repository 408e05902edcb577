using System.Globalization;
using Fer.Faces;
using Fer.Faces.Framing;

namespace Fer.Benchmarks;

/// <summary>A box-to-square transform of some <see cref="FramingShape"/>: parameters (shift x, shift y, then the side's
/// scales), as a continuous square for the fit and as whole pixels exactly as the product rounds them.</summary>
public sealed record FittedFraming(FramingShape Shape, double[] Parameters)
{
    /// <summary>The off-the-shelf square: the box's longer side around its centre (what the issue's first trial used).</summary>
    public static FittedFraming LongerSideSquared { get; } = new(FramingShape.LongerSide, [0, 0, 1]);

    /// <summary>The box's mean side around its centre: <see cref="FaceFraming"/> before any fit.</summary>
    public static FittedFraming Unfitted { get; } = new(FramingShape.MeanSide, [0, 0, 1]);

    public double Side(FaceBox box) => Shape switch
    {
        FramingShape.MeanSide => Parameters[2] * (box.Width + box.Height) / 2,
        FramingShape.LongerSide => Parameters[2] * Math.Max(box.Width, box.Height),
        FramingShape.Width => Parameters[2] * box.Width,
        FramingShape.Height => Parameters[2] * box.Height,
        _ => Parameters[2] * box.Width + Parameters[3] * box.Height,
    };

    public (double CentreX, double CentreY, double Side) Continuous(FaceBox box) =>
        (box.CentreX + Parameters[0] * box.Width, box.CentreY + Parameters[1] * box.Height, Side(box));

    /// <summary>The square in whole pixels; the mean-side shape goes through <see cref="FaceFraming"/> itself, the others
    /// round the same way.</summary>
    public (int Left, int Top, int Side) Square(FaceBox box)
    {
        if (Shape == FramingShape.MeanSide) return AsFaceFraming().Square(box);
        var (centreX, centreY, side) = Continuous(box);
        var whole = Math.Max(1, (int)MathF.Round((float)side));
        return ((int)MathF.Round((float)centreX - whole / 2f), (int)MathF.Round((float)centreY - whole / 2f), whole);
    }

    public FaceFraming AsFaceFraming() => Shape == FramingShape.MeanSide
        ? new FaceFraming((float)Parameters[0], (float)Parameters[1], (float)Parameters[2])
        : throw new InvalidOperationException($"FaceFraming holds the mean-side shape, not {Shape}");

    public override string ToString() =>
        $"{Shape}({string.Join(", ", Parameters.Select(p => p.ToString("F4", CultureInfo.InvariantCulture)))})";
}
