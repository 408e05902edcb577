using System.Globalization;
using Fer.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// The whole network of the model contract: float32 [N,1,48,48] in [0,1] -> 3 channels -> ImageNet normalisation ->
/// bilinear resize (align_corners=false) to <see cref="ImageSize"/> -> EfficientNetV2-S features -> global average
/// pool -> the seed's head -> logits. Parameter and buffer names match torchvision (<c>features.*</c>) and the seed
/// (<c>classifier.*</c>), so state_dicts map 1:1.
/// </summary>
public sealed class FerNet : FaceNetwork
{
    public const int DefaultImageSize = 224;
    public const int DefaultClasses = 7;
    public const double DefaultStochasticDepth = 0.2;

    /// <summary>ImageNet normalisation constants (torchvision's), applied inside the network.</summary>
    public static IReadOnlyList<float> Mean { get; } = [0.485f, 0.456f, 0.406f];
    public static IReadOnlyList<float> Std { get; } = [0.229f, 0.224f, 0.225f];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _units = [];

    public FerNet(int imageSize = DefaultImageSize, int numClasses = DefaultClasses, double stochasticDepthProbability = DefaultStochasticDepth)
        : base(nameof(FerNet))
    {
        if (imageSize < 64 || imageSize % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "the backbone size must be a multiple of 32, at least 64");
        if (numClasses < 1)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "at least one class is needed");
        ImageSize = imageSize;
        NumClasses = numClasses;
        features = EfficientNetV2S.BuildFeatures(stochasticDepthProbability);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = BuildHead(numClasses);
        RegisterComponents();
        foreach (var (name, child) in features.named_children())
        {
            if (child is Sequential stage)
                foreach (var (blockName, block) in stage.named_children())
                    _units.Add(($"features.{name}.{blockName}", (nn.Module<Tensor, Tensor>)block));
            else
                _units.Add(($"features.{name}", (nn.Module<Tensor, Tensor>)child));
        }
        InitialiseBackbone();
    }

    public override ModelFamily Family => ModelFamily.EfficientNetV2S;

    public override int ImageSize { get; }

    public override int NumClasses { get; }

    /// <summary>The stem, every block of every stage, the last 1x1 convolution: running them in order and pooling is
    /// exactly <see cref="Features"/>.</summary>
    public override IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Units => _units;

    public Sequential Backbone => features;

    public override Sequential Classifier => classifier;

    /// <summary>Global average pool + flatten: [N,1280,h,w] -> [N,1280].</summary>
    public override Tensor Pool(Tensor lastUnitOutput) => avgpool.call(lastUnitOutput).flatten(1);

    /// <summary>[N,1,H,W] in [0,1] -> [N,3,S,S], ImageNet-normalised. No parameters.</summary>
    public override Tensor Preprocess(Tensor input)
    {
        RequireInputBatch(input);
        using var mean = tensor(Mean.ToArray(), [1, 3, 1, 1], dtype: input.dtype, device: input.device);
        using var std = tensor(Std.ToArray(), [1, 3, 1, 1], dtype: input.dtype, device: input.device);
        var normalised = (input.expand(-1, 3, -1, -1) - mean) / std;
        if (input.shape[2] == ImageSize && input.shape[3] == ImageSize) return normalised;
        return nn.functional.interpolate(normalised, [ImageSize, ImageSize], mode: InterpolationMode.Bilinear, align_corners: false);
    }

    /// <summary>Backbone + global average pool + flatten on an already preprocessed [N,3,S,S] batch: [N,1280].</summary>
    public Tensor Features(Tensor preprocessed) => avgpool.call(features.call(preprocessed)).flatten(1);

    /// <summary>
    /// Zero-initialises the BatchNorm scale that closes every residual branch, so each residual block starts as the
    /// identity and the deep backbone trains like a shallow one at first ("zero-init residual", Goyal et al. 2017).
    /// For training from scratch; torchvision's own initialisation leaves the scale at 1.
    /// </summary>
    public void ZeroInitialiseResidualBranches()
    {
        using var noGrad = no_grad();
        foreach (var module in features.modules())
            if (module is IResidualBlock { UseResidual: true } block)
                nn.init.zeros_(block.BranchNorm.weight);
    }

    private static Sequential BuildHead(int numClasses) => nn.Sequential(
        Named(0, nn.Dropout(0.3)),
        Named(1, nn.Linear(EfficientNetV2S.FeatureChannels, 512)),
        Named(2, nn.ReLU()),
        Named(3, nn.BatchNorm1d(512)),
        Named(4, nn.Dropout(0.3)),
        Named(5, nn.Linear(512, 256)),
        Named(6, nn.ReLU()),
        Named(7, nn.BatchNorm1d(256)),
        Named(8, nn.Dropout(0.15)),
        Named(9, nn.Linear(256, numClasses)));

    private static (string, nn.Module<Tensor, Tensor>) Named(int index, nn.Module<Tensor, Tensor> module) =>
        (index.ToString(CultureInfo.InvariantCulture), module);

    /// <summary>torchvision's initialisation of the backbone (kaiming-normal fan-out convolutions, unit BatchNorm).</summary>
    private void InitialiseBackbone()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in features.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d norm:
                    nn.init.ones_(norm.weight);
                    nn.init.zeros_(norm.bias);
                    break;
            }
        }
    }
}
