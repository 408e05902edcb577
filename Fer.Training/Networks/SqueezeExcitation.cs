using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>torchvision's SqueezeExcitation with SiLU inside and a sigmoid gate: x * sigmoid(fc2(silu(fc1(avgpool(x))))).</summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly SiLU activation;
    private readonly Sigmoid scale_activation;

    public SqueezeExcitation(long inputChannels, long squeezeChannels) : base(nameof(SqueezeExcitation))
    {
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        activation = nn.SiLU();
        scale_activation = nn.Sigmoid();
        RegisterComponents();
    }

    public long InputChannels => fc1.in_channels;

    public long SqueezeChannels => fc1.out_channels;

    public Conv2d Fc1 => fc1;

    public Conv2d Fc2 => fc2;

    public override Tensor forward(Tensor input)
    {
        var scale = scale_activation.call(fc2.call(activation.call(fc1.call(avgpool.call(input)))));
        return scale * input;
    }
}
