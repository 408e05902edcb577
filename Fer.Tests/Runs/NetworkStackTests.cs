using Fer.Imaging;
using Fer.Training.Data;
using Fer.Training.Networks;
using Fer.Training.Torch;
using Fer.Training.Runs;
using static TorchSharp.torch;

namespace Fer.Tests.Runs;

public sealed class NetworkStackTests
{
    [Fact]
    public void PrefixThenRest_EqualsTheWholeNetwork_AndTheCacheHoldsImagesAndMirrors()
    {
        TorchRuntime.Initialize();
        random.manual_seed(3);
        using var model = new FerNet(64);
        model.eval();
        var stack = new NetworkStack(model);
        Assert.Equal(42, stack.UnitCount);
        Assert.Equal("features.6.13", stack.UnitNames[39]);

        var generator = new Random(5);
        var samples = Enumerable.Range(0, 3).Select(i =>
            new FaceSample(Enumerable.Range(0, FaceImage.PixelCount).Select(_ => generator.NextSingle()).ToArray(), i, $"#{i}")).ToList();
        var data = new FaceDataset("noise", samples);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(samples.SelectMany(s => s.Pixels).ToArray(), [3, 1, FaceImage.Size, FaceImage.Size]);
        var whole = model.call(input);
        foreach (var level in new[] { 0, 17, 39, stack.UnitCount })
        {
            var split = stack.Logits(stack.Prefix(input, level), level);
            Assert.True(whole.allclose(split, rtol: 1e-5, atol: 1e-5), $"level {level}");
        }

        using var cache = FeatureCache.Build(stack, data, 39, 2, ScalarType.Float32, batchSize: 2, null, CancellationToken.None);
        using var pooled = cache.Derive(stack, stack.UnitCount, batchSize: 2, CancellationToken.None);
        var mirrored = stack.Prefix(input.flip(3), stack.UnitCount);
        var gathered = pooled.Gather([2, 0], [true, false]);
        Assert.True(gathered[0].allclose(mirrored[2], rtol: 1e-5, atol: 1e-5));
        Assert.True(gathered[1].allclose(stack.Prefix(input, stack.UnitCount)[0], rtol: 1e-5, atol: 1e-5));
        Assert.Equal(3L * 2 * 1280 * 4, pooled.Bytes);
    }
}
