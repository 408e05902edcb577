using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// torchvision 0.14's <c>efficientnet_v2_s</c> feature extractor: stem (features.0), six stages of Fused-MBConv and
/// MBConv blocks (features.1..6) and the 1x1 head convolution to 1280 channels (features.7).
/// </summary>
public static class EfficientNetV2S
{
    public const int FeatureChannels = 1280;
    public const int StemChannels = 24;

    /// <summary>The stages, as in torchvision's <c>_efficientnet_conf("efficientnet_v2_s")</c>.</summary>
    public static IReadOnlyList<BlockConfig> Stages { get; } =
    [
        new(Fused: true, ExpandRatio: 1, Kernel: 3, Stride: 1, InputChannels: 24, OutChannels: 24, NumLayers: 2),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InputChannels: 24, OutChannels: 48, NumLayers: 4),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InputChannels: 48, OutChannels: 64, NumLayers: 4),
        new(Fused: false, ExpandRatio: 4, Kernel: 3, Stride: 2, InputChannels: 64, OutChannels: 128, NumLayers: 6),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InputChannels: 128, OutChannels: 160, NumLayers: 9),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InputChannels: 160, OutChannels: 256, NumLayers: 15),
    ];

    /// <summary>Builds <c>features</c>; block i of n gets stochastic depth probability p * i / n, as in torchvision.</summary>
    public static Sequential BuildFeatures(double stochasticDepthProbability = 0.2)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", new Conv2dNormActivation(3, StemChannels, 3, stride: 2)),
        };
        var totalBlocks = Stages.Sum(s => s.NumLayers);
        var blockId = 0;
        foreach (var stage in Stages)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var i = 0; i < stage.NumLayers; i++)
            {
                var config = i == 0 ? stage : stage.Repeated();
                var probability = stochasticDepthProbability * blockId / totalBlocks;
                nn.Module<Tensor, Tensor> block = config.Fused ? new FusedMBConv(config, probability) : new MBConv(config, probability);
                blocks.Add((Name(i), block));
                blockId++;
            }
            layers.Add((Name(layers.Count), nn.Sequential(blocks.ToArray())));
        }
        layers.Add((Name(layers.Count), new Conv2dNormActivation(Stages[^1].OutChannels, FeatureChannels, 1)));
        return nn.Sequential(layers.ToArray());
    }

    private static string Name(int index) => index.ToString(CultureInfo.InvariantCulture);
}
