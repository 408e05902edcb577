using Fer.Training.Evaluation;

namespace Fer.Tests.Evaluation;

public sealed class MetricsTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    private static float[] P(float a, float b, float c) => [a, b, c];

    [Fact]
    public void Compute_MatchesHandCountedConfusionPrecisionRecallAndF1()
    {
        int[] labels = [0, 0, 0, 1, 1, 2];
        float[][] probabilities =
        [
            P(.8f, .1f, .1f), P(.6f, .3f, .1f), P(.2f, .7f, .1f), // a: a, a, b
            P(.1f, .8f, .1f), P(.1f, .2f, .7f),                   // b: b, c
            P(.1f, .1f, .8f),                                     // c: c
        ];

        var m = ClassificationMetrics.Compute(Names, labels, probabilities);

        Assert.Equal([[2, 1, 0], [0, 1, 1], [0, 0, 1]], m.ConfusionMatrix);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(1.0, m.Classes[0].Precision, 12);
        Assert.Equal(2.0 / 3, m.Classes[0].Recall, 12);
        Assert.Equal(0.8, m.Classes[0].F1, 12);
        Assert.Equal(0.5, m.Classes[1].Precision, 12);
        Assert.Equal(0.5, m.Classes[1].Recall, 12);
        Assert.Equal(0.5, m.Classes[2].Precision, 12);
        Assert.Equal(2.0 / 3, m.Classes[2].F1, 12);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, m.MacroF1, 12);
        Assert.Equal((0.8 * 3 + 0.5 * 2 + 2.0 / 3) / 6, m.WeightedF1, 12);
        Assert.Equal([3, 2, 1], m.Classes.Select(c => c.Support));
    }

    [Fact]
    public void RocAuc_IsTheProbabilityThatAPositiveOutscoresANegative_WithTiesCountingHalf()
    {
        // Positives score 0.9, 0.5, 0.3; negatives 0.5, 0.2. Pairs won: (0.9>0.5, 0.9>0.2, 0.5=0.5 half, 0.5>0.2, 0.3<0.5, 0.3>0.2) = 4.5 of 6.
        var curve = RocCurve.Compute("x", [0.9f, 0.5f, 0.3f, 0.5f, 0.2f], [true, true, true, false, false]);
        Assert.Equal(4.5 / 6, curve.Auc!.Value, 12);
        Assert.Equal(0, curve.FalsePositiveRate[0]);
        Assert.Equal(1, curve.TruePositiveRate[^1]);

        Assert.Equal(1.0, RocCurve.Compute("perfect", [0.9f, 0.8f, 0.1f], [true, true, false]).Auc!.Value, 12);
        Assert.Null(RocCurve.Compute("one-sided", [0.9f, 0.8f], [true, true]).Auc);
    }

    [Fact]
    public void Report_HasScikitLearnsLayout()
    {
        int[] labels = [0, 1, 2, 2];
        float[][] probabilities = [P(1, 0, 0), P(0, 1, 0), P(0, 0, 1), P(1, 0, 0)];
        var text = ClassificationReport.Format(ClassificationMetrics.Compute(Names, labels, probabilities));
        var lines = text.Split('\n');

        Assert.Equal("              precision    recall  f1-score   support", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("           a     0.5000    1.0000    0.6667         1", lines[2]);
        Assert.Equal("           c     1.0000    0.5000    0.6667         2", lines[4]);
        Assert.Equal("    accuracy                         0.7500         4", lines[6]);
        Assert.Equal("   macro avg     0.8333    0.8333    0.7778         4", lines[7]);
        Assert.Equal("weighted avg     0.8750    0.7500    0.7500         4", lines[8]);
    }

    [Fact]
    public void Compute_RejectsMismatchedInputs()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(Names, [0, 1], [P(1, 0, 0)]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(Names, [5], [P(1, 0, 0)]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(Names, [0], [[1f, 0f]]));
    }
}
