namespace Fer.Contracts.Monitoring;

/// <summary>Temperature scaling applied to a model's probabilities: softmax(logits / T) computed from the probabilities
/// themselves (their logarithms are the logits up to a constant), so that serving needs no other output.</summary>
public static class Calibration
{
    private const double Floor = 1e-12;

    /// <summary>The largest calibrated probability of one face: the confidence whose mean over many faces estimates their accuracy.</summary>
    public static double MaxProbability(ReadOnlySpan<float> probabilities, double temperature)
    {
        double max = double.NegativeInfinity;
        foreach (var p in probabilities) max = Math.Max(max, Math.Log(Math.Max(p, Floor)) / temperature);
        double sum = 0;
        foreach (var p in probabilities) sum += Math.Exp(Math.Log(Math.Max(p, Floor)) / temperature - max);
        return 1 / sum;
    }

    /// <summary>The calibrated probability of class <paramref name="index"/>.</summary>
    public static double Probability(ReadOnlySpan<float> probabilities, int index, double temperature)
    {
        var target = Math.Log(Math.Max(probabilities[index], Floor)) / temperature;
        double sum = 0;
        foreach (var p in probabilities) sum += Math.Exp(Math.Log(Math.Max(p, Floor)) / temperature - target);
        return 1 / sum;
    }

    /// <summary>All calibrated probabilities of one face, written to <paramref name="destination"/>.</summary>
    public static void Probabilities(ReadOnlySpan<float> probabilities, double temperature, Span<float> destination)
    {
        if (destination.Length != probabilities.Length)
            throw new ArgumentException($"{destination.Length} places for {probabilities.Length} probabilities", nameof(destination));
        double max = double.NegativeInfinity;
        foreach (var p in probabilities) max = Math.Max(max, Math.Log(Math.Max(p, Floor)) / temperature);
        double sum = 0;
        for (var c = 0; c < probabilities.Length; c++)
        {
            var scaled = Math.Exp(Math.Log(Math.Max(probabilities[c], Floor)) / temperature - max);
            destination[c] = (float)scaled;
            sum += scaled;
        }
        for (var c = 0; c < destination.Length; c++) destination[c] = (float)(destination[c] / sum);
    }
}
