using Fer.Contracts;
using Fer.Contracts.Monitoring;
using Fer.Training.Monitoring;

namespace Fer.Tests.Monitoring;

/// <summary>What the reference fits on its split, on synthetic answers whose truth is known: a model whose labels follow
/// softmax(logits / 0.7) while it reports softmax(logits) gets a temperature near 0.7, the label shares are the split's,
/// and the transport estimate's temperature makes its estimate of the split the split's accuracy.</summary>
public sealed class ReferenceBuilderTests
{
    [Fact]
    public void Build_FitsTheTemperatureTheLabelsFollow_StoresTheLabelShares_AndEstimatesTheSplitsAccuracy()
    {
        const double trueTemperature = 0.7;
        var random = new Random(2027);
        var probabilities = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < 4000; i++)
        {
            var logits = Enumerable.Range(0, EmotionLabels.Count).Select(c => 1.5 * Normal(random) + (c == 3 ? 0.8 : 0)).ToArray();
            probabilities.Add(Softmax(logits, 1));
            labels.Add(Draw(Softmax(logits, trueTemperature), random));
        }
        var pixels = Enumerable.Repeat(new float[ModelInput.CropSize * ModelInput.CropSize], labels.Count).ToList();

        var reference = ReferenceBuilder.Build("validation", probabilities, labels, pixels);

        Assert.InRange(reference.Temperature, trueTemperature - 0.05, trueTemperature + 0.05);
        Assert.True(reference.EceAfter < reference.EceBefore, $"ECE {reference.EceBefore:F4} -> {reference.EceAfter:F4}");
        Assert.NotNull(reference.ClassShares);
        for (var c = 0; c < EmotionLabels.Count; c++)
            Assert.Equal(labels.Count(l => l == c) / (double)labels.Count, reference.ClassShares[c], 5);
        // The transport temperature is the one at which the estimate of the split is its accuracy.
        Assert.InRange(reference.TransportAccuracy!.Value, reference.Accuracy - 0.003, reference.Accuracy + 0.003);
        Assert.InRange(reference.TransportTemperature!.Value, 0.25, 4);
    }

    [Fact]
    public void Build_RejectsALabelThatIsNotAClass() =>
        Assert.Throws<ArgumentException>(() => ReferenceBuilder.Build("validation", [new float[EmotionLabels.Count]], [EmotionLabels.Count],
            [new float[ModelInput.CropSize * ModelInput.CropSize]]));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float[] Softmax(double[] logits, double temperature)
    {
        var max = logits.Max();
        var scaled = logits.Select(z => Math.Exp((z - max) / temperature)).ToArray();
        return [.. scaled.Select(e => (float)(e / scaled.Sum()))];
    }

    private static int Draw(float[] probabilities, Random random)
    {
        var u = random.NextDouble();
        for (var c = 0; c < probabilities.Length - 1; c++)
            if ((u -= probabilities[c]) < 0) return c;
        return probabilities.Length - 1;
    }
}
