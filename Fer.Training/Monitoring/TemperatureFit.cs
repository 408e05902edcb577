using Fer.Contracts.Monitoring;

namespace Fer.Training.Monitoring;

/// <summary>Fits the temperature of <see cref="Calibration"/> on labelled faces: the T that minimises their negative
/// log-likelihood, found by golden-section search over ln T in [ln 1/8, ln 8] (the likelihood is unimodal in T).</summary>
public static class TemperatureFit
{
    public static double Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels)
    {
        if (probabilities.Count != labels.Count) throw new ArgumentException("one label per row of probabilities is needed");
        if (probabilities.Count == 0) return 1;
        double low = Math.Log(1.0 / 8), high = Math.Log(8);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var a = high - ratio * (high - low);
        var b = low + ratio * (high - low);
        double fa = Loss(probabilities, labels, Math.Exp(a)), fb = Loss(probabilities, labels, Math.Exp(b));
        while (high - low > 1e-4)
        {
            if (fa <= fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - ratio * (high - low);
                fa = Loss(probabilities, labels, Math.Exp(a));
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + ratio * (high - low);
                fb = Loss(probabilities, labels, Math.Exp(b));
            }
        }
        return Math.Exp((low + high) / 2);
    }

    /// <summary>The mean negative log-likelihood of the true classes at temperature <paramref name="temperature"/>.</summary>
    public static double Loss(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, double temperature)
    {
        double sum = 0;
        for (var i = 0; i < probabilities.Count; i++)
            sum -= Math.Log(Math.Max(Calibration.Probability(probabilities[i], labels[i], temperature), 1e-12));
        return sum / probabilities.Count;
    }
}
