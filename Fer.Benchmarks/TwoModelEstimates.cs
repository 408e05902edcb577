using Fer.Contracts.Monitoring;
using Fer.Training.Monitoring;

namespace Fer.Benchmarks;

/// <summary>
/// Label-free estimates measured as alternatives (not used by replicas) that need a second model answering the same
/// faces: the transport estimate of the two models' ensemble (normalised geometric mean of their probabilities, its
/// temperature fitted on validation like the shipped one), and the disagreement ratio (the first model's error taken to
/// grow with the share of faces the two answer differently, in validation's proportion).
/// </summary>
public sealed class TwoModelEstimates(double ensembleTemperature, double validationAccuracy, double validationDisagreement)
{
    public double EnsembleTemperature => ensembleTemperature;

    public static TwoModelEstimates Fit(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second, IReadOnlyList<int> labels, double[] shares)
    {
        var accuracy = labels.Where((label, i) => CalibrationError.ArgMax(first[i]) == label).Count() / (double)labels.Count;
        var disagreement = Disagreement(first, second);
        if (disagreement == 0)
            throw new ArgumentException("the two models answer every validation face alike: --second-model needs a model trained apart");
        return new TwoModelEstimates(TransportFit.Fit(Ensemble(first, second), labels, shares), accuracy, disagreement);
    }

    public double EnsembleTransport(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second, double[] shares) =>
        TransportEstimate.Accuracy(ReferenceBuilder.CalibratedRows(Ensemble(first, second), ensembleTemperature), shares);

    public double DisagreementRatio(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second) =>
        1 - Disagreement(first, second) * (1 - validationAccuracy) / validationDisagreement;

    private static double Disagreement(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second) =>
        first.Where((row, i) => CalibrationError.ArgMax(row) != CalibrationError.ArgMax(second[i])).Count() / (double)first.Count;

    private static List<float[]> Ensemble(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second) =>
        [.. first.Select((row, i) =>
        {
            var mean = row.Select((p, c) => Math.Sqrt(Math.Max(p, 1e-12) * Math.Max(second[i][c], 1e-12))).ToArray();
            var sum = mean.Sum();
            return mean.Select(m => (float)(m / sum)).ToArray();
        })];
}
