using Fer.Contracts.Monitoring;
using Fer.Training.Monitoring;

namespace Fer.Benchmarks;

/// <summary>
/// A calibration measured as an alternative to the shipped one (not used by replicas): a temperature per quintile of a
/// face statistic (sharpness: validation's blurriest fifth is its least accurate), each fitted on validation so that the
/// quintile's mean calibrated confidence equals its accuracy, then scaled together so that the transport estimate of
/// validation equals its accuracy. Faces outside validation's range take the nearest quintile's temperature.
/// </summary>
public sealed class StratifiedTemperatures
{
    private const int Strata = 5;
    private readonly double[] edges;
    private readonly double[] temperatures;

    private StratifiedTemperatures(double[] edges, double[] temperatures) => (this.edges, this.temperatures) = (edges, temperatures);

    public IReadOnlyList<double> Temperatures => temperatures;

    public static StratifiedTemperatures Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels,
        IReadOnlyList<double> statistic, double[] shares)
    {
        var sorted = statistic.Order().ToArray();
        var edges = Enumerable.Range(1, Strata - 1).Select(k => sorted[k * sorted.Length / Strata]).ToArray();
        var strata = new StratifiedTemperatures(edges, new double[Strata]);
        for (var s = 0; s < Strata; s++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => strata.StratumOf(statistic[i]) == s).ToList();
            if (members.Count == 0)
            {
                strata.temperatures[s] = 1;
                continue;
            }
            var accuracy = members.Count(i => CalibrationError.ArgMax(probabilities[i]) == labels[i]) / (double)members.Count;
            strata.temperatures[s] = Bisect(t => members.Average(i => Calibration.MaxProbability(probabilities[i], t)), accuracy);
        }
        var overall = labels.Where((label, i) => CalibrationError.ArgMax(probabilities[i]) == label).Count() / (double)labels.Count;
        var scale = Bisect(k => strata.Estimate(probabilities, statistic, shares, k), overall);
        for (var s = 0; s < Strata; s++) strata.temperatures[s] *= scale;
        return strata;
    }

    public double Estimate(IReadOnlyList<float[]> probabilities, IReadOnlyList<double> statistic, double[] shares, double scale = 1)
    {
        var rows = new float[probabilities.Count * shares.Length];
        for (var i = 0; i < probabilities.Count; i++)
            Calibration.Probabilities(probabilities[i], temperatures[StratumOf(statistic[i])] * scale, rows.AsSpan(i * shares.Length, shares.Length));
        return TransportEstimate.Accuracy(rows, shares);
    }

    private int StratumOf(double value)
    {
        var s = 0;
        while (s < edges.Length && value > edges[s]) s++;
        return s;
    }

    /// <summary>The t in [1/4, 8] at which <paramref name="estimate"/> (falling as t grows) equals <paramref name="target"/>.</summary>
    private static double Bisect(Func<double, double> estimate, double target)
    {
        double low = Math.Log(0.25), high = Math.Log(8);
        for (var step = 0; step < 20; step++)
        {
            var middle = (low + high) / 2;
            if (estimate(Math.Exp(middle)) > target) low = middle;
            else high = middle;
        }
        return Math.Exp((low + high) / 2);
    }
}
