using System.Text;
using Fer.Contracts;
using Fer.Trainer.Extensions;
using Fer.Trainer.Jobs;
using Fer.Training.Runs;

namespace Fer.Tests.Trainer.Jobs;

public sealed class TrainRequestParserTests
{
    private readonly TrainRequestParser parser = new(TrainerPathsFactory.Create());

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("{}")]
    public async Task AnEmptyRequest_TakesTheCliDefaults(string body)
    {
        var (options, errors) = await Parse(body);

        Assert.Empty(errors);
        // Cnn48 and the recorded full run's recipe, every default written in (so the job and the registry show it).
        Assert.Equal(new TrainJobOptions
        {
            Model = ModelFamily.Cnn48, Recipe = TrainingRecipe.Scratch, TestTimeFlip = true, Dropout = 0.2, ImageSize = 224, PhaseOneEpochs = 50,
            PhaseTwoEpochs = 0, PhaseOneLearningRate = 2e-3, PhaseTwoLearningRate = 2e-4, WeightDecay = 0.05, Patience = 50, LabelSmoothing = 0.1,
            ClassWeightPower = 0.5, BatchSize = 64, Seed = 42, Promote = PromotionPolicy.IfBetter,
        }, options);
    }

    [Fact]
    public async Task EveryField_IsRead()
    {
        var weights = Path.GetTempFileName();
        try
        {
            var (options, errors) = await Parse($$"""
                {"data": "/d", "imageSize": 96, "epochs1": 2, "epochs2": 3, "batchSize": 8, "weights": "{{weights}}",
                 "recipe": "Scratch", "seed": 5, "promote": "always"}
                """);

            Assert.Empty(errors);
            Assert.Equal(new TrainJobOptions
            {
                DataPath = "/d", ImageSize = 96, PhaseOneEpochs = 2, PhaseTwoEpochs = 3, BatchSize = 8, WeightsPath = weights, Recipe = TrainingRecipe.Scratch, Seed = 5,
                Promote = PromotionPolicy.Always,
            }.Resolved(), options);
            Assert.Equal(ModelFamily.EfficientNetV2S, options!.Model);
        }
        finally
        {
            File.Delete(weights);
        }
    }

    [Fact]
    public async Task ConfiguredWeights_AreTheDefault()
    {
        var weights = Path.GetTempFileName();
        try
        {
            var withDefault = new TrainRequestParser(TrainerPathsFactory.Create(new TrainerOptions { WeightsPath = weights }));
            var (options, _) = await withDefault.ParseAsync(new MemoryStream(), CancellationToken.None);
            Assert.Equal(weights, options!.WeightsPath);
        }
        finally
        {
            File.Delete(weights);
        }
    }

    [Fact]
    public async Task SeveralBadFields_AreAllNamed()
    {
        var (options, errors) = await Parse("""{"imageSize": 100, "batchSize": 0, "promote": "maybe"}""");

        Assert.Null(options);
        Assert.Equal(["batchSize", "imageSize", "promote"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("multiple of 32", errors["imageSize"][0]);
        Assert.Contains("'always', 'if-better', 'never' or 'rollout'", errors["promote"][0]);
    }

    [Fact]
    public async Task TheCliOnlySettings_AreReadToo()
    {
        var (options, errors) = await Parse("""
            {"lr1": 0.001, "lr2": 0.0001, "augment": "full", "featureCache": "off", "patience": 3, "maxPerClass": 5,
             "labelSmoothing": 0.1, "classWeights": false, "classWeightPower": 0.3, "stochasticDepth": 0.1, "model": "efficientnet_v2_s",
             "recipe": "scratch", "weightDecay": 0.2, "tta": true}
            """);

        Assert.Empty(errors);
        Assert.Equal(new TrainJobOptions
        {
            Model = ModelFamily.EfficientNetV2S, Recipe = TrainingRecipe.Scratch, PhaseOneLearningRate = 0.001, PhaseTwoLearningRate = 0.0001,
            Augmentation = AugmentationMode.Full, FeatureCache = FeatureCacheMode.Off, Patience = 3, MaxImagesPerClass = 5, LabelSmoothing = 0.1,
            ClassWeightedLoss = false, ClassWeightPower = 0.3, StochasticDepth = 0.1, WeightDecay = 0.2, TestTimeFlip = true,
        }.Resolved(), options);
    }

    [Theory]
    [InlineData("""{"model": "efficientnet_v2_s"}""")]
    [InlineData("""{"model": "efficientnet_v2_s", "recipe": "transfer"}""")]
    public async Task TransferWithoutWeights_IsRefused_SayingWhyAndWhatToUse(string body)
    {
        var (options, errors) = await Parse(body);

        Assert.Null(options);
        var message = Assert.Single(errors["recipe"]);
        Assert.Contains("frozen backbone", message, StringComparison.Ordinal);
        Assert.Contains("efficientnet_v2_s-dd5fe13b.pth", message, StringComparison.Ordinal);
        Assert.Contains("use model cnn48", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSettingsTheServiceDecides_AreRefused_NamingThem()
    {
        var (options, errors) = await Parse("""{"out": "/tmp/run", "exportOnnx": false, "augment": "sometimes"}""");

        Assert.Null(options);
        Assert.Equal(["augment", "exportOnnx", "out"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Trainer:RunsDirectory", errors["out"][0]);
        Assert.Contains("'auto', 'full', 'flip' or 'none'", errors["augment"][0]);
    }

    private Task<(TrainJobOptions? Options, Dictionary<string, string[]> Errors)> Parse(string body) =>
        parser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
}
