using Fer.Contracts.Monitoring;

namespace Fer.Tests.Contracts;

/// <summary>The transport estimate against cases whose answer is known: the mean confidence where the predicted classes
/// already have the label shares, a hand-computed pile-up, exhaustive search on small problems, and convergence at the
/// size of a replica's window.</summary>
public sealed class TransportEstimateTests
{
    [Fact]
    public void Accuracy_IsTheMeanConfidence_WhenThePredictedClassesHaveTheLabelShares()
    {
        float[] rows = [0.7f, 0.2f, 0.1f, 0.1f, 0.6f, 0.3f, 0.2f, 0.1f, 0.7f, 0.5f, 0.4f, 0.1f];
        var estimate = TransportEstimate.Accuracy(rows, [0.5, 0.25, 0.25]);
        AssertNear((0.7 + 0.6 + 0.7 + 0.5) / 4, estimate);
    }

    [Fact]
    public void Accuracy_CountsOnlyWhatTheLabelSharesAllow_WhenAnswersPileOntoOneClass()
    {
        // Every face says class 0 with 0.8; the labels are half class 0, half class 1: half the faces must go to class 1
        // at 0.2 each, so the estimate is 0.5 where the mean confidence says 0.8.
        var rows = Enumerable.Range(0, 100).SelectMany(_ => new[] { 0.8f, 0.2f }).ToArray();
        AssertNear(0.5, TransportEstimate.Accuracy(rows, [0.5, 0.5]));
    }

    [Fact]
    public void Accuracy_MatchesTheExactTransport_OnSmallProblemsSolvedByExhaustiveSearch()
    {
        var random = new Random(27);
        for (var problem = 0; problem < 20; problem++)
        {
            // Six faces, three classes with a third of the labels each: every optimal transport gives each class two faces.
            var rows = new float[6 * 3];
            for (var i = 0; i < 6; i++)
            {
                var weights = Enumerable.Range(0, 3).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
                for (var c = 0; c < 3; c++) rows[i * 3 + c] = (float)(weights[c] / weights.Sum());
            }
            var exact = Assignments(6, 3).Max(assignment => assignment.Select((c, i) => (double)rows[i * 3 + c]).Sum() / 6);
            AssertNear(exact, TransportEstimate.Accuracy(rows, [1 / 3.0, 1 / 3.0, 1 / 3.0]));
        }
    }

    [Fact]
    public void Accuracy_OnAWindowOfOneThousandFaces_IsWithinOneThousandthOfTenTimesTheIterations()
    {
        var random = new Random(7);
        var rows = new float[1000 * 7];
        for (var i = 0; i < 1000; i++)
        {
            // Peaked probabilities, most often on the first classes: the predicted shares differ from uniform labels.
            var weights = Enumerable.Range(0, 7).Select(c => Math.Exp(3 * random.NextDouble() - 0.3 * c)).ToArray();
            for (var c = 0; c < 7; c++) rows[i * 7 + c] = (float)(weights[c] / weights.Sum());
        }
        var shares = Enumerable.Repeat(1 / 7.0, 7).ToArray();
        var estimate = TransportEstimate.Accuracy(rows, shares);
        var closer = TransportEstimate.Accuracy(rows, shares, 10 * TransportEstimate.Iterations);
        Assert.InRange(estimate - closer, -1e-9, 1e-3);
    }

    [Fact]
    public void Accuracy_RejectsProbabilitiesThatAreNotWholeFaces() =>
        Assert.Throws<ArgumentException>(() => TransportEstimate.Accuracy([0.5f, 0.5f, 0.1f], [0.5, 0.5]));

    private static void AssertNear(double expected, double actual) => Assert.InRange(actual, expected - 1e-3, expected + 1e-3);

    /// <summary>Every way to give <paramref name="faces"/> faces to <paramref name="classes"/> classes, the same number each.</summary>
    private static IEnumerable<int[]> Assignments(int faces, int classes)
    {
        var perClass = faces / classes;
        IEnumerable<int[]> Extend(int[] prefix)
        {
            if (prefix.Length == faces)
            {
                yield return prefix;
                yield break;
            }
            for (var c = 0; c < classes; c++)
                if (prefix.Count(p => p == c) < perClass)
                    foreach (var full in Extend([.. prefix, c])) yield return full;
        }
        return Extend([]);
    }
}
