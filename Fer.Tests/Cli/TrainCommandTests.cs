using System.Text.Json;
using Fer.Contracts;
using Fer.Cli;
using Fer.Trainer.Jobs;
using Fer.Training.Runs;

namespace Fer.Tests.Cli;

public sealed class TrainCommandTests
{
    /// <summary>Every field the options can complain about, each one made invalid.</summary>
    private static readonly TrainingOptions Invalid = TrainingOptions.Defaults with
    {
        DataPath = " ", OutputDirectory = " ", Model = (ModelFamily)9, Dropout = 2, ImageSize = 1, BatchSize = 0, Recipe = (TrainingRecipe)9, WeightsPath = " ",
        PhaseOneEpochs = -1, PhaseTwoEpochs = -1, PhaseOneLearningRate = -1, PhaseTwoLearningRate = -1, PhaseTwoTrainableTensors = 0,
        WeightDecay = -1, StochasticDepth = 2, Patience = 0, MinLearningRateFactor = 2, ValidationFraction = 0, LabelSmoothing = 1, ClassWeightPower = 2,
        Augmentation = (AugmentationMode)9, FeatureCache = (FeatureCacheMode)9, FeatureCacheLimitMiB = -1, MaxImagesPerClass = -1,
        OnnxParityTolerance = 0, AugmentationSettings = new() { Brightness = 2 },
    };

    [Fact]
    public void EveryValidatedField_IsAFlagOfTheTrainVerb()
    {
        var flags = TrainCommand.Create().Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var fields = Invalid.Validate().Select(e => e.Field).Distinct().ToList();

        Assert.True(fields.Count >= 24, string.Join(", ", fields));
        Assert.All(fields.Where(f => f != "augmentationSettings"), field => Assert.Contains(TrainCommand.Flag(field), flags));
    }

    [Fact]
    public void EveryFlagOfTheTrainVerb_IsAFieldOfPostTrain_OrOfItsAugmentationSettings_ButResume()
    {
        var json = JsonSerializer.SerializeToElement(new TrainJobOptions(), JsonSerializerOptions.Web);
        var fields = json.EnumerateObject().Select(p => p.Name)
            .Concat(json.GetProperty("augmentationSettings").EnumerateObject().Select(p => p.Name)).ToList();

        foreach (var option in TrainCommand.Create().Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--resume"))
            Assert.Contains(fields, field => TrainCommand.Flag(field) == option.Name);
    }

    [Theory]
    [InlineData("imageSize", "--image-size")]
    [InlineData("epochs1", "--epochs1")]
    [InlineData("lr2", "--lr2")]
    [InlineData("maxPerClass", "--max-per-class")]
    [InlineData("classWeights", "--no-class-weights")]
    [InlineData("exportOnnx", "--no-onnx")]
    [InlineData("blurProbability", "--blur-probability")]
    public void Flag_SpellsAFieldAsTheCommandLineDoes(string field, string flag) =>
        Assert.Equal(flag, TrainCommand.Flag(field));

    [Fact]
    public async Task Train_WithABadSetting_ExitsNonZero()
    {
        Assert.Equal(1, await FerCommandLine.RunAsync(["train", "--data", "/nonexistent", "--image-size", "100"]));
        Assert.Equal(1, await FerCommandLine.RunAsync(["train", "--data", "/nonexistent", "--erase-probability", "1.5"]));
    }
}
