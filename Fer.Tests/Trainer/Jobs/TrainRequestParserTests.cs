using System.Text;
using Fer.Trainer.Extensions;
using Fer.Trainer.Jobs;

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
        Assert.Equal(new TrainJobOptions
        {
            ImageSize = 224, Epochs1 = 30, Epochs2 = 20, BatchSize = 64, Seed = 42, Recipe = "transfer", Promote = PromotionPolicy.IfBetter,
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
                Data = "/d", ImageSize = 96, Epochs1 = 2, Epochs2 = 3, BatchSize = 8, Weights = weights, Recipe = "scratch", Seed = 5,
                Promote = PromotionPolicy.Always,
            }, options);
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
            Assert.Equal(weights, options!.Weights);
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
        Assert.Contains("'always', 'if-better' or 'never'", errors["promote"][0]);
    }

    private Task<(TrainJobOptions? Options, Dictionary<string, string[]> Errors)> Parse(string body) =>
        parser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
}
