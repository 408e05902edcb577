using System.Text.Json;
using Fer.Contracts;
using Fer.Training.Runs;

namespace Fer.Tests.Runs;

public sealed class TrainingOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndTrainCnn48FromScratch_WithoutWeights()
    {
        var d = TrainingOptions.Defaults;
        Assert.Equal((224, 64, 42), (d.ImageSize, d.BatchSize, d.Seed));
        Assert.Equal((ModelFamily.Cnn48, TrainingRecipe.Scratch, true), (d.Family, d.EffectiveRecipe, d.UsesTestTimeFlip));
        // The recorded full run's settings (Fer.Training/Runs/NOTES.md): one cosine phase of 50 epochs.
        Assert.Equal((50, 0, 2e-3, 0.05, 50, 0.1, 0.5),
            (d.EffectivePhaseOneEpochs, d.EffectivePhaseTwoEpochs, d.EffectivePhaseOneLearningRate, d.EffectiveWeightDecay, d.EffectivePatience,
                d.EffectiveLabelSmoothing, d.EffectiveClassWeightPower));
        Assert.Empty(d.Validate());
    }

    [Fact]
    public void EfficientNet_DefaultsToTheSeedsTransferRecipe_WhichNeedsTheImageNetWeights()
    {
        var seed = TrainingOptions.Defaults with { Model = ModelFamily.EfficientNetV2S };
        Assert.Equal(TrainingRecipe.Transfer, seed.EffectiveRecipe);
        Assert.Equal((30, 20, 2e-4, 2e-5, 1.0), (seed.EffectivePhaseOneEpochs, seed.EffectivePhaseTwoEpochs,
            seed.EffectivePhaseOneLearningRate, seed.EffectivePhaseTwoLearningRate, seed.EffectiveClassWeightPower));

        var refusal = Assert.Single(seed.Validate());
        Assert.Equal("recipe", refusal.Field);
        Assert.Contains("ImageNet weights", refusal.Problem, StringComparison.Ordinal);
        Assert.Contains("use model cnn48", refusal.Problem, StringComparison.Ordinal);

        var weights = Path.GetTempFileName();
        try
        {
            Assert.Empty((seed with { WeightsPath = weights }).Validate());
            Assert.Empty((seed with { Recipe = TrainingRecipe.Scratch }).Validate());
        }
        finally
        {
            File.Delete(weights);
        }
    }

    [Fact]
    public void LearningRates_FollowTheRecipe_UnlessSet()
    {
        var scratch = TrainingOptions.Defaults with { Model = ModelFamily.EfficientNetV2S, Recipe = TrainingRecipe.Scratch };
        Assert.Equal((1e-3, 1e-4), (scratch.EffectivePhaseOneLearningRate, scratch.EffectivePhaseTwoLearningRate));
        var set = scratch with { PhaseOneLearningRate = 5e-3 };
        Assert.Equal((5e-3, 1e-4), (set.EffectivePhaseOneLearningRate, set.EffectivePhaseTwoLearningRate));
    }

    [Fact]
    public void Resolved_WritesEveryRecipeDefaultIn_AndKeepsWhatWasSet()
    {
        var resolved = (TrainingOptions.Defaults with { PhaseOneEpochs = 7, LabelSmoothing = 0 }).Resolved();

        Assert.Equal(TrainingOptions.Defaults with
        {
            Model = ModelFamily.Cnn48, Recipe = TrainingRecipe.Scratch, TestTimeFlip = true, Dropout = 0.2, PhaseOneEpochs = 7, PhaseTwoEpochs = 0,
            PhaseOneLearningRate = 2e-3, PhaseTwoLearningRate = 2e-4, WeightDecay = 0.05, Patience = 50, LabelSmoothing = 0, ClassWeightPower = 0.5,
        }, resolved);
        Assert.Equal(resolved, resolved.Resolved());
    }

    [Fact]
    public void Validate_NamesEveryBadField_WithTheValueItGot()
    {
        var options = TrainingOptions.Defaults with
        {
            ImageSize = 100, BatchSize = 1, StochasticDepth = 1, Model = (ModelFamily)9, PhaseOneLearningRate = 0, MaxImagesPerClass = -1,
            WeightsPath = "/no/such/weights.pth",
        };

        var errors = options.Validate();

        Assert.Equal(["batchSize", "imageSize", "lr1", "maxPerClass", "model", "stochasticDepth", "weights"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("(got 100)", errors.Single(e => e.Field == "imageSize").Problem, StringComparison.Ordinal);
        Assert.Contains("'cnn48'", errors.Single(e => e.Field == "model").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_UsesTheApiNames_AndRoundTrips()
    {
        var options = TrainingOptions.Defaults with
        {
            DataPath = "/d", Model = ModelFamily.EfficientNetV2S, PhaseOneEpochs = 2, ClassWeightPower = 0.25, PhaseOneLearningRate = 1e-3, Recipe = TrainingRecipe.Scratch,
            Augmentation = AugmentationMode.Full, FeatureCache = FeatureCacheMode.Off, FeatureCacheLimitMiB = 512, ClassWeightedLoss = false,
        };

        var json = JsonSerializer.Serialize(options, JsonSerializerOptions.Web);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("/d", root.GetProperty("data").GetString());
        Assert.Equal("efficientnet_v2_s", root.GetProperty("model").GetString());
        Assert.Equal(2, root.GetProperty("epochs1").GetInt32());
        Assert.Equal(1e-3, root.GetProperty("lr1").GetDouble());
        Assert.Equal("scratch", root.GetProperty("recipe").GetString());
        Assert.Equal("full", root.GetProperty("augment").GetString());
        Assert.Equal("off", root.GetProperty("featureCache").GetString());
        Assert.Equal(512, root.GetProperty("cacheLimit").GetInt32());
        Assert.False(root.GetProperty("classWeights").GetBoolean());
        Assert.Equal(0.25, root.GetProperty("classWeightPower").GetDouble());
        Assert.False(root.TryGetProperty("featureCacheLimitBytes", out _));

        var read = JsonSerializer.Deserialize<TrainingOptions>(json, JsonSerializerOptions.Web)!;
        Assert.Equal(options with { AugmentationSettings = read.AugmentationSettings }, read);
        Assert.Equal(options.AugmentationSettings, read.AugmentationSettings);
    }
}
