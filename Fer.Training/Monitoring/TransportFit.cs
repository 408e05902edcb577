using Fer.Contracts.Monitoring;

namespace Fer.Training.Monitoring;

/// <summary>Fits the temperature of the transport estimate on labelled faces: the T at which the estimate of the split
/// equals the split's accuracy (bisection over ln T in [ln 1/4, ln 4]; the estimate falls as T softens the
/// probabilities), as average thresholded confidence picks its threshold. Unbiased on the validation split by
/// construction; measured on the test split and under shifts in docs/monitoring.md.</summary>
public static class TransportFit
{
    public static double Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, ReadOnlySpan<double> shares)
    {
        if (probabilities.Count != labels.Count) throw new ArgumentException("one label per row of probabilities is needed");
        if (probabilities.Count == 0) return 1;
        var accuracy = labels.Where((label, i) => CalibrationError.ArgMax(probabilities[i]) == label).Count() / (double)labels.Count;
        double low = Math.Log(1.0 / 4), high = Math.Log(4);
        for (var step = 0; step < 16; step++)
        {
            var middle = (low + high) / 2;
            var estimate = TransportEstimate.Accuracy(ReferenceBuilder.CalibratedRows(probabilities, Math.Exp(middle)), shares);
            if (estimate > accuracy) low = middle;
            else high = middle;
        }
        return Math.Exp((low + high) / 2);
    }
}
