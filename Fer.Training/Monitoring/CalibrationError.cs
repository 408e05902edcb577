using Fer.Contracts.Monitoring;

namespace Fer.Training.Monitoring;

/// <summary>Expected calibration error: faces binned by confidence (equal-width bins over [0, 1]), the gap between
/// each bin's accuracy and its mean confidence, weighted by the bin's share of faces.</summary>
public static class CalibrationError
{
    public const int Bins = 15;

    public static double Expected(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, double temperature)
    {
        var count = new int[Bins];
        var correct = new int[Bins];
        var confidence = new double[Bins];
        for (var i = 0; i < probabilities.Count; i++)
        {
            var predicted = ArgMax(probabilities[i]);
            var p = Calibration.MaxProbability(probabilities[i], temperature);
            var bin = Math.Min(Bins - 1, (int)(p * Bins));
            count[bin]++;
            confidence[bin] += p;
            if (predicted == labels[i]) correct[bin]++;
        }
        double error = 0;
        for (var b = 0; b < Bins; b++)
            if (count[b] > 0) error += Math.Abs(correct[b] - confidence[b]) / probabilities.Count;
        return error;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
