using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// torchvision's MBConv: 1x1 expansion (when the ratio is not 1), k x k depthwise convolution, squeeze-and-excitation
/// (squeeze to a quarter of the block's input channels), 1x1 projection without activation; residual with stochastic
/// depth when stride is 1 and the channels are unchanged.
/// </summary>
public sealed class MBConv : nn.Module<Tensor, Tensor>, IResidualBlock
{
    private readonly Sequential block;
    private readonly StochasticDepth stochastic_depth;

    public MBConv(BlockConfig config, double stochasticDepthProbability) : base(nameof(MBConv))
    {
        if (config.Stride is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(config), config.Stride, "illegal stride value");
        UseResidual = config.Stride == 1 && config.InputChannels == config.OutChannels;
        var expanded = config.ExpandedChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expanded != config.InputChannels)
            layers.Add(new Conv2dNormActivation(config.InputChannels, expanded, 1));
        layers.Add(new Conv2dNormActivation(expanded, expanded, config.Kernel, config.Stride, groups: expanded));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, config.InputChannels / 4)));
        layers.Add(new Conv2dNormActivation(expanded, config.OutChannels, 1, activation: false));
        block = nn.Sequential(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)).ToArray());
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
