using Fer.Imaging;
using Fer.Training.Data;
using Fer.Training.Runs;

namespace Fer.Tests.Data;

public sealed class AugmentationTests
{
    private static float[] Gradient()
    {
        var pixels = new float[FaceImage.PixelCount];
        for (var y = 0; y < FaceImage.Size; y++)
            for (var x = 0; x < FaceImage.Size; x++) pixels[y * FaceImage.Size + x] = (x + 2 * y) / 150f;
        return pixels;
    }

    [Fact]
    public void Augmenter_IsDeterministicForAGenerator_StaysInRange_AndChangesTheImage()
    {
        var augmenter = new Augmenter(new AugmentationOptions());
        var source = Gradient();
        var a = new float[source.Length];
        var b = new float[source.Length];
        var c = new float[source.Length];
        augmenter.Apply(source, a, new Random(SeedMix.Of(1, 2, 3)), out var flipA);
        augmenter.Apply(source, b, new Random(SeedMix.Of(1, 2, 3)), out var flipB);
        augmenter.Apply(source, c, new Random(SeedMix.Of(1, 3, 3)), out _);

        Assert.Equal(a, b);
        Assert.Equal(flipA, flipB);
        Assert.NotEqual(a, c);
        Assert.NotEqual(source, a);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void FlipOnly_GivesTheImageOrItsExactMirror()
    {
        var augmenter = new Augmenter(AugmentationOptions.FlipOnly);
        var source = Gradient();
        var mirror = new float[source.Length];
        Augmenter.Flip(source, mirror);
        Assert.Equal(source[FaceImage.Size - 1], mirror[0]);

        var seen = new HashSet<bool>();
        for (var seed = 0; seed < 20; seed++)
        {
            var output = new float[source.Length];
            augmenter.Apply(source, output, new Random(seed), out var flipped);
            Assert.Equal(flipped ? mirror : source, output);
            seen.Add(flipped);
        }
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void DetectorJitter_DrawsTheMeasuredSpreads_CutAtThreeDeviations()
    {
        var jitter = FramingJitter.UltraFaceRfb640;
        var random = new Random(7);
        var draws = Enumerable.Range(0, 20_000).Select(_ => jitter.Draw(random, FaceImage.Size)).ToList();

        static double Sd(IEnumerable<double> values)
        {
            var list = values.ToList();
            var mean = list.Average();
            return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
        }
        Assert.InRange(Sd(draws.Select(d => d.ShiftX / FaceImage.Size)), jitter.CentreSdX * 0.95, jitter.CentreSdX * 1.05);
        Assert.InRange(Sd(draws.Select(d => d.ShiftY / FaceImage.Size)), jitter.CentreSdY * 0.95, jitter.CentreSdY * 1.05);
        Assert.InRange(Sd(draws.Select(d => Math.Log(d.Scale))), jitter.LogScaleSd * 0.95, jitter.LogScaleSd * 1.05);
        Assert.All(draws, d => Assert.InRange(Math.Abs(Math.Log(d.Scale)), 0, FramingJitter.Cutoff * jitter.LogScaleSd + 1e-9));
    }

    [Fact]
    public void CropJitterDetector_ReplacesTheUniformShiftAndScale_InFullAugmentationOnly()
    {
        var options = new TrainingOptions { DataPath = "data", OutputDirectory = "out", CropJitter = CropJitter.Detector };
        Assert.Equal(FramingJitter.UltraFaceRfb640, options.AugmentationFor(backboneFrozen: false)!.Framing);
        Assert.Same(AugmentationOptions.FlipOnly, options.AugmentationFor(backboneFrozen: true));
        Assert.Null((options with { CropJitter = CropJitter.Uniform }).AugmentationFor(backboneFrozen: false)!.Framing);
        Assert.Contains((options with { CropJitter = (CropJitter)9 }).Validate(), e => e.Field == "cropJitter");
    }

    [Fact]
    public void BatchLoader_RepeatsAnEpochExactly_ShufflesAcrossEpochs_AndCoversEverySample()
    {
        var samples = Enumerable.Range(0, 50).Select(i =>
        {
            var pixels = Gradient();
            pixels[0] = i / 50f;
            return new FaceSample(pixels, i % 7, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }).ToList();
        var loader = new BatchLoader(new FaceDataset("synthetic", samples), batchSize: 8, seed: 5, new Augmenter(new AugmentationOptions()));

        var first = loader.Epoch(1, BatchContent.Augmented).ToList();
        var again = loader.Epoch(1, BatchContent.Augmented).ToList();
        var next = loader.Epoch(2, BatchContent.Augmented).ToList();

        Assert.Equal(first.SelectMany(b => b.Indices), again.SelectMany(b => b.Indices));
        Assert.Equal(first.SelectMany(b => b.Pixels), again.SelectMany(b => b.Pixels));
        Assert.NotEqual(first.SelectMany(b => b.Indices), next.SelectMany(b => b.Indices));
        Assert.Equal(Enumerable.Range(0, 50), first.SelectMany(b => b.Indices).Order());
        Assert.Equal(first.SelectMany(b => b.Indices).Select(i => (long)(i % 7)), first.SelectMany(b => b.Labels));

        var plain = loader.Epoch(0, BatchContent.Plain).ToList();
        Assert.Equal(Enumerable.Range(0, 50), plain.SelectMany(b => b.Indices));
        Assert.Equal(samples.SelectMany(s => s.Pixels), plain.SelectMany(b => b.Pixels));
    }

    private static readonly AugmentationOptions Nothing = AugmentationOptions.FlipOnly with { HorizontalFlip = false };

    [Fact]
    public void Blur_KeepsAFlatImageFlat_SoftensAnEdge_AndKeepsItsMass()
    {
        var flat = Enumerable.Repeat(0.4f, FaceImage.PixelCount).ToArray();
        Augmenter.Blur(flat, 1.5f);
        Assert.All(flat, v => Assert.Equal(0.4f, v, 1e-5f));

        var edge = new float[FaceImage.PixelCount];
        for (var i = 0; i < edge.Length; i++) edge[i] = i % FaceImage.Size < 24 ? 0f : 1f;
        var before = edge.Sum();
        Augmenter.Blur(edge, 1.5f);
        Assert.Equal(before, edge.Sum(), 0.5f);
        Assert.InRange(edge[23], 0.2f, 0.5f);
        Assert.InRange(edge[24], 0.5f, 0.8f);
        Assert.Equal(0f, edge[10], 1e-4f);
    }

    [Fact]
    public void Erasing_PaintsOneRectangleOfOneGrey_OfTwoToThirtyThreePercentOfTheFace()
    {
        var augmenter = new Augmenter(Nothing with { EraseProbability = 1 });
        var source = Gradient();
        var areas = new List<int>();
        for (var seed = 0; seed < 200; seed++)
        {
            var output = new float[source.Length];
            augmenter.Apply(source, output, new Random(seed), out _);
            var changed = Enumerable.Range(0, source.Length).Where(i => output[i] != source[i]).ToList();
            if (changed.Count == 0) continue;
            Assert.Single(changed.Select(i => output[i]).Distinct());
            int top = changed.Min(i => i / FaceImage.Size), bottom = changed.Max(i => i / FaceImage.Size);
            int left = changed.Min(i => i % FaceImage.Size), right = changed.Max(i => i % FaceImage.Size);
            Assert.True((bottom - top + 1) * (right - left + 1) >= changed.Count);
            areas.Add((bottom - top + 1) * (right - left + 1));
        }
        Assert.True(areas.Count > 150, $"{areas.Count} of 200 images erased");
        Assert.InRange(areas.Min(), 0.01 * FaceImage.PixelCount, 0.05 * FaceImage.PixelCount);
        Assert.InRange(areas.Max(), 0.25 * FaceImage.PixelCount, 0.36 * FaceImage.PixelCount);
    }

    [Fact]
    public void BlurAndErasing_AreOffInFlipOnly_AndTheirRangesAreChecked()
    {
        Assert.True(AugmentationOptions.FlipOnly.IsFlipOnly);
        Assert.False((AugmentationOptions.FlipOnly with { BlurProbability = 0.1 }).IsFlipOnly);
        Assert.False((AugmentationOptions.FlipOnly with { EraseProbability = 0.1 }).IsFlipOnly);
        Assert.Null(new AugmentationOptions().Problem());
        Assert.Contains("blurProbability", new AugmentationOptions { BlurProbability = 1.5 }.Problem());
        Assert.Contains("maxBlurSigma", new AugmentationOptions { MaxBlurSigma = 0 }.Problem());
        Assert.Contains("eraseProbability", new AugmentationOptions { EraseProbability = -0.1 }.Problem());

        var stripes = Enumerable.Range(0, FaceImage.PixelCount).Select(i => (float)(i % 2)).ToArray();
        var augmenter = new Augmenter(Nothing with { BlurProbability = 1 });
        var softened = Enumerable.Range(0, 20).Count(seed =>
        {
            var output = new float[stripes.Length];
            augmenter.Apply(stripes, output, new Random(seed), out _);
            Assert.All(output, v => Assert.InRange(v, 0f, 1f));
            return output.Max() < 0.9f;
        });
        Assert.InRange(softened, 12, 20);
    }
}
