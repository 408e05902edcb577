namespace Fer.Training.Evaluation;

/// <summary>A one-vs-rest ROC curve: false- and true-positive rates at every distinct score threshold, and its area.</summary>
public sealed record RocCurve(string Name, double[] FalsePositiveRate, double[] TruePositiveRate, double? Auc)
{
    /// <summary>Scores of every sample for this class; <paramref name="positive"/> marks the samples of the class.</summary>
    public static RocCurve Compute(string name, IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0) return new RocCurve(name, [0, 1], [0, 1], null);

        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0, fp = 0;
        double area = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (positive[order[k]]) tp++;
            else fp++;
            // Ties share one threshold: only emit a point after the last sample with this score.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;
            var x = (double)fp / negatives;
            var y = (double)tp / positives;
            area += (x - fpr[^1]) * (y + tpr[^1]) / 2;
            fpr.Add(x);
            tpr.Add(y);
        }
        return new RocCurve(name, fpr.ToArray(), tpr.ToArray(), area);
    }
}
