using MathNet.Numerics;

namespace Fer.Inference.Monitoring;

/// <summary>Pearson's chi-square test of homogeneity between a window's counts and the reference's over the same bins
/// (a 2 x k table): both are samples, so the reference's own sampling noise is accounted for. Bins empty in both are
/// left out. The score is -log10 of the p-value, so that the alarm threshold reads as a chance (8: one in a hundred million).</summary>
public static class ChiSquareTest
{
    public const double MaxScore = 300;

    public static double Score(ReadOnlySpan<long> window, ReadOnlySpan<long> reference)
    {
        if (window.Length != reference.Length) throw new ArgumentException("the window and the reference must have the same bins");
        double windowTotal = 0, referenceTotal = 0;
        var bins = 0;
        for (var k = 0; k < window.Length; k++)
        {
            windowTotal += window[k];
            referenceTotal += reference[k];
            if (window[k] + reference[k] > 0) bins++;
        }
        if (windowTotal == 0 || referenceTotal == 0 || bins < 2) return 0;
        var total = windowTotal + referenceTotal;
        double statistic = 0;
        for (var k = 0; k < window.Length; k++)
        {
            var column = window[k] + reference[k];
            if (column == 0) continue;
            var expectedWindow = windowTotal * column / total;
            var expectedReference = referenceTotal * column / total;
            statistic += Square(window[k] - expectedWindow) / expectedWindow + Square(reference[k] - expectedReference) / expectedReference;
        }
        var p = SpecialFunctions.GammaUpperRegularized((bins - 1) / 2.0, statistic / 2);
        return p <= 0 ? MaxScore : Math.Min(MaxScore, -Math.Log10(p));
    }

    private static double Square(double x) => x * x;
}
