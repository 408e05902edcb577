using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// torchvision's FusedMBConv: a full k x k convolution that expands (or, with ratio 1, directly maps) the channels,
/// then a 1x1 projection; residual with stochastic depth when stride is 1 and the channels are unchanged.
/// </summary>
public sealed class FusedMBConv : nn.Module<Tensor, Tensor>, IResidualBlock
{
    private readonly Sequential block;
    private readonly StochasticDepth stochastic_depth;

    public FusedMBConv(BlockConfig config, double stochasticDepthProbability) : base(nameof(FusedMBConv))
    {
        if (config.Stride is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(config), config.Stride, "illegal stride value");
        UseResidual = config.Stride == 1 && config.InputChannels == config.OutChannels;
        var expanded = config.ExpandedChannels;
        block = expanded != config.InputChannels
            ? nn.Sequential(
                ("0", new Conv2dNormActivation(config.InputChannels, expanded, config.Kernel, config.Stride)),
                ("1", new Conv2dNormActivation(expanded, config.OutChannels, 1, activation: false)))
            : nn.Sequential(
                ("0", new Conv2dNormActivation(config.InputChannels, config.OutChannels, config.Kernel, config.Stride)));
        stochastic_depth = new StochasticDepth(stochasticDepthProbability);
        OutChannels = config.OutChannels;
        RegisterComponents();
    }

    public bool UseResidual { get; }

    public int OutChannels { get; }

    public StochasticDepth StochasticDepth => stochastic_depth;

    public Sequential Block => block;

    public override Tensor forward(Tensor input)
    {
        var result = block.call(input);
        return UseResidual ? stochastic_depth.call(result) + input : result;
    }
}
