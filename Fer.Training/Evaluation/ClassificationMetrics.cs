using Fer.Contracts;

namespace Fer.Training.Evaluation;

/// <summary>
/// Everything the report says about a model on one split, computed in plain C# from labels and class probabilities, so
/// the trainer (TorchSharp) and the <c>evaluate</c> verb (ONNX Runtime) share one definition.
/// </summary>
public sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    double MacroF1,
    double WeightedF1,
    double? MacroRocAuc,
    IReadOnlyList<ClassMetrics> Classes,
    int[][] ConfusionMatrix)
{
    /// <param name="classNames">the classes in output order</param>
    /// <param name="labels">the true class of each sample</param>
    /// <param name="probabilities">per sample, the model's probability of each class (softmax of the logits)</param>
    public static ClassificationMetrics Compute(IReadOnlyList<string> classNames, IReadOnlyList<int> labels,
        IReadOnlyList<float[]> probabilities) => Compute(classNames, labels, probabilities, out _);

    public static ClassificationMetrics Compute(IReadOnlyList<string> classNames, IReadOnlyList<int> labels,
        IReadOnlyList<float[]> probabilities, out IReadOnlyList<RocCurve> rocCurves)
    {
        var k = classNames.Count;
        if (labels.Count != probabilities.Count)
            throw new ArgumentException($"{labels.Count} labels but {probabilities.Count} predictions");
        if (labels.Count == 0) throw new ArgumentException("no samples to evaluate");

        var confusion = new int[k][];
        for (var i = 0; i < k; i++) confusion[i] = new int[k];
        for (var n = 0; n < labels.Count; n++)
        {
            if (probabilities[n].Length != k)
                throw new ArgumentException($"prediction {n} has {probabilities[n].Length} scores, expected {k}");
            if (labels[n] < 0 || labels[n] >= k) throw new ArgumentException($"label {labels[n]} of sample {n} is not a class 0..{k - 1}");
            confusion[labels[n]][ArgMax(probabilities[n])]++;
        }

        var curves = new List<RocCurve>(k);
        var classes = new List<ClassMetrics>(k);
        for (var c = 0; c < k; c++)
        {
            var truePositive = confusion[c][c];
            var support = confusion[c].Sum();
            var predicted = confusion.Sum(row => row[c]);
            var precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            var recall = support == 0 ? 0 : (double)truePositive / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            var cls = c;
            var curve = RocCurve.Compute(classNames[c], probabilities.Select(p => p[cls]).ToArray(), labels.Select(l => l == cls).ToArray());
            curves.Add(curve);
            classes.Add(new ClassMetrics(classNames[c], precision, recall, f1, support, curve.Auc));
        }

        var correct = Enumerable.Range(0, k).Sum(c => confusion[c][c]);
        var aucs = classes.Where(c => c.RocAuc.HasValue).Select(c => c.RocAuc!.Value).ToList();
        rocCurves = curves;
        return new ClassificationMetrics(
            labels.Count,
            (double)correct / labels.Count,
            classes.Average(c => c.F1),
            classes.Sum(c => c.F1 * c.Support) / labels.Count,
            aucs.Count == 0 ? null : aucs.Average(),
            classes,
            confusion);
    }

    public static int ArgMax(float[] scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }
}
