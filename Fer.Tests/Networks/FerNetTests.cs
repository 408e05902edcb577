using Fer.Training.Networks;
using Fer.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Tests.Networks;

public sealed class FerNetTests
{
    public FerNetTests() => TorchRuntime.Initialize();

    [Fact]
    public void ParameterCount_MatchesTheSeed_InTotalAndInTheHead()
    {
        using var net = new FerNet();

        Assert.Equal(20_968_023, FerNetParameters.Count(net));
        Assert.Equal(790_535, FerNetParameters.Count(net, "classifier."));
        Assert.Equal(20_968_023 - 790_535, FerNetParameters.Count(net, "features."));
    }

    [Fact]
    public void StateDictNames_FollowTorchvision_FromStemToLastConvolution()
    {
        using var net = new FerNet();
        var names = net.state_dict().Keys.ToList();

        Assert.Equal("features.0.0.weight", names[0]);
        foreach (var buffer in new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" })
            Assert.Contains($"features.0.1.{buffer}", names);
        Assert.Contains("features.1.0.block.0.0.weight", names);
        Assert.Contains("features.2.0.block.1.1.running_var", names);
        Assert.Contains("features.4.0.block.2.fc1.weight", names);
        Assert.Contains("features.6.14.block.3.1.num_batches_tracked", names);
        Assert.Contains("features.7.1.running_var", names);
        Assert.Contains("classifier.9.bias", names);
        Assert.Contains("classifier.7.running_var", names);
        // torchvision's efficientnet_v2_s state_dict has 782 entries; ours swaps its 2 classifier entries for the seed's 16 (3 Linear, 2 BatchNorm1d).
        Assert.Equal(780, names.Count(n => n.StartsWith("features.", StringComparison.Ordinal)));
        Assert.Equal(16, names.Count(n => n.StartsWith("classifier.", StringComparison.Ordinal)));
    }

    [Fact]
    public void LastThirtyParameterTensors_BeginAtTheSeedsPhaseTwoBoundary()
    {
        using var net = new FerNet();

        var last = FerNetParameters.Last(net, FerNetParameters.SeedPhaseTwoTensors);

        Assert.Equal(30, last.Count);
        Assert.Equal("features.6.13.block.2.fc2.bias", last[0].Name);
        Assert.Equal("classifier.9.bias", last[^1].Name);
    }

    [Fact]
    public void TrainOnlyLast_FreezesEverythingBeforeTheBoundary()
    {
        using var net = new FerNet();

        var trainable = FerNetParameters.TrainOnlyLast(net, 30);

        var all = FerNetParameters.All(net);
        Assert.Equal(30, all.Count(p => p.Parameter.requires_grad));
        Assert.All(trainable, p => Assert.True(p.Parameter.requires_grad));
        Assert.False(all[0].Parameter.requires_grad);
    }

    [Fact]
    public void Blocks_HaveTorchvisionStructure_ResidualsStochasticDepthAndSqueezeWidths()
    {
        using var net = new FerNet();
        var modules = net.named_modules().ToDictionary(m => m.name, m => m.module);

        var first = Assert.IsType<FusedMBConv>(modules["features.1.0"]);
        Assert.True(first.UseResidual);
        Assert.Equal(0.0, first.StochasticDepth.Probability);
        var stageTwo = Assert.IsType<FusedMBConv>(modules["features.2.0"]);
        Assert.False(stageTwo.UseResidual);
        Assert.Equal(0.2 * 2 / 40, stageTwo.StochasticDepth.Probability, 12);
        var last = Assert.IsType<MBConv>(modules["features.6.14"]);
        Assert.True(last.UseResidual);
        Assert.Equal(0.2 * 39 / 40, last.StochasticDepth.Probability, 12);
        var se = Assert.IsType<SqueezeExcitation>(modules["features.4.0.block.2"]);
        Assert.Equal(256, se.InputChannels);
        Assert.Equal(16, se.SqueezeChannels);
        var projection = Assert.IsType<Conv2dNormActivation>(modules["features.6.14.block.3"]);
        Assert.False(projection.HasActivation);
        Assert.Equal(1e-3, projection.Norm.eps);
        var stem = Assert.IsType<Conv2dNormActivation>(modules["features.0"]);
        Assert.True(stem.HasActivation);
        Assert.Null(stem.Conv.bias);
    }

    [Theory]
    [InlineData(224)]
    [InlineData(64)]
    public void Forward_MapsA48PixelBatchToSevenLogits_AtAnyBackboneSize(int imageSize)
    {
        using var scope = NewDisposeScope();
        using var net = new FerNet(imageSize);
        net.eval();
        using var noGrad = no_grad();

        var input = rand(2, 1, 48, 48);
        var logits = net.call(input);

        Assert.Equal([2L, 7L], logits.shape);
        Assert.Equal([2L, 3L, imageSize, imageSize], net.Preprocess(input).shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Eval_IsDeterministic_WhileTrainingDropsResidualsAtRandom()
    {
        using var scope = NewDisposeScope();
        using var depth = new StochasticDepth(0.5);
        var x = ones(64, 4, 2, 2);

        depth.eval();
        Assert.True(depth.call(x).eq(x).all().item<bool>());
        depth.train();
        var y = depth.call(x);
        var perRow = y.sum([1, 2, 3]);
        // Each row is either dropped (0) or kept and scaled by 1/(1-p) = 2 (16 values of 2 = 32).
        Assert.True((perRow.eq(0) | perRow.eq(32)).all().item<bool>());
        Assert.True(perRow.eq(0).any().item<bool>());
        Assert.True(perRow.eq(32).any().item<bool>());
    }

    [Fact]
    public void ZeroInitialisedResidualBranches_MakeEveryResidualBlockTheIdentity_AndNoOtherBlock()
    {
        using var scope = NewDisposeScope();
        using var net = new FerNet(64);
        net.ZeroInitialiseResidualBranches();
        net.eval();
        using var noGrad = no_grad();

        var blocks = net.named_modules().Where(m => m.module is IResidualBlock).ToList();
        Assert.Equal(40, blocks.Count);
        foreach (var (name, module) in blocks)
        {
            var block = (IResidualBlock)module;
            var channels = block.Block.parameters().First().shape[1];
            var x = randn(2, channels, 8, 8);
            var y = ((nn.Module<Tensor, Tensor>)module).call(x);
            // The 5 blocks that open stages 2-6 change shape or stride: they have no residual and keep their scale.
            var identity = y.shape.SequenceEqual(x.shape) && y.eq(x).all().item<bool>();
            Assert.True(identity == block.UseResidual, $"{name}: residual {block.UseResidual}, identity {identity}");
            Assert.True(block.BranchNorm.weight!.eq(0).all().item<bool>() == block.UseResidual, $"{name}: branch scale");
        }
        Assert.Equal(35, blocks.Count(b => ((IResidualBlock)b.module).UseResidual));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(32)]
    public void Constructor_RejectsBackboneSizesOutsideTheContract(int imageSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FerNet(imageSize));
        Assert.Contains("multiple of 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_RejectsInputThatIsNotASingleChannelBatch()
    {
        using var scope = NewDisposeScope();
        using var net = new FerNet(64);
        var error = Assert.Throws<ArgumentException>(() => net.call(rand(2, 3, 48, 48)));
        Assert.Contains("[N,1,H,W]", error.Message, StringComparison.Ordinal);
    }
}
