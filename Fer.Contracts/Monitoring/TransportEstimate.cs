namespace Fer.Contracts.Monitoring;

/// <summary>
/// The label-free accuracy estimate by confidence optimal transport (Lu et al., 2023, "Characterizing out-of-distribution
/// error via optimal transport"): each face's calibrated probabilities are moved onto the classes so that the classes
/// receive the shares the labels had on the validation split, at the least cost (one minus the probability of the class
/// received); the estimate is one minus that cost. Where the predicted classes keep their validation shares it equals the
/// mean calibrated confidence; where a shift piles answers onto some classes, confidence spent on the excess no longer
/// counts as accuracy. Measured in docs/monitoring.md ("Accuracy without labels").
/// </summary>
public static class TransportEstimate
{
    /// <summary>Subgradient steps on the dual; 1,000 put a window of 1,000 faces within 0.001 of the optimum (tested).</summary>
    public const int Iterations = 1000;

    /// <summary>The estimate for <paramref name="probabilities"/> (faces back to back, <paramref name="shares"/>.Length
    /// classes each) and the label shares the classes should receive.</summary>
    public static double Accuracy(ReadOnlySpan<float> probabilities, ReadOnlySpan<double> shares, int iterations = Iterations)
    {
        var classes = shares.Length;
        if (classes == 0 || probabilities.Length % classes != 0)
            throw new ArgumentException($"{probabilities.Length} probabilities are not faces of {classes} classes", nameof(probabilities));
        var faces = probabilities.Length / classes;
        if (faces == 0) return double.NaN;

        // The dual of the transport: minimise over class prices v the mean of max_y (p_iy - v_y) plus sum_y share_y v_y.
        // Its subgradient in v_y is share_y minus the share of faces whose best priced class is y.
        Span<double> prices = stackalloc double[classes];
        Span<int> received = stackalloc int[classes];
        prices.Clear();
        var best = double.PositiveInfinity;
        for (var step = 0; step < iterations; step++)
        {
            received.Clear();
            double sum = 0;
            for (var i = 0; i < faces; i++)
            {
                var row = probabilities.Slice(i * classes, classes);
                var top = 0;
                var topValue = row[0] - prices[0];
                for (var y = 1; y < classes; y++)
                    if (row[y] - prices[y] > topValue) (top, topValue) = (y, row[y] - prices[y]);
                sum += topValue;
                received[top]++;
            }
            var value = sum / faces;
            for (var y = 0; y < classes; y++) value += shares[y] * prices[y];
            best = Math.Min(best, value);
            var rate = 0.1 / Math.Sqrt(step + 1);
            for (var y = 0; y < classes; y++) prices[y] -= rate * (shares[y] - (double)received[y] / faces);
        }
        return Math.Clamp(best, 0, 1);
    }
}
