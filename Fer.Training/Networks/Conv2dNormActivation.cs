using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// Convolution (no bias), BatchNorm (eps 1e-3, momentum 0.1) and an optional SiLU, registered as children "0", "1",
/// "2" like torchvision's <c>Conv2dNormActivation</c>, so that state_dict keys such as <c>features.0.1.running_var</c>
/// line up. C# fields cannot be named "0", so the children are registered by hand instead of by RegisterComponents.
/// </summary>
public sealed class Conv2dNormActivation : nn.Module<Tensor, Tensor>
{
    public const double BatchNormEps = 1e-3;
    public const double BatchNormMomentum = 0.1;

    private readonly SiLU? _activation;

    public Conv2dNormActivation(long inChannels, long outChannels, long kernelSize, long stride = 1, long groups = 1, bool activation = true)
        : base(nameof(Conv2dNormActivation))
    {
        Conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false);
        Norm = nn.BatchNorm2d(outChannels, eps: BatchNormEps, momentum: BatchNormMomentum);
        register_module("0", Conv);
        register_module("1", Norm);
        if (activation)
        {
            _activation = nn.SiLU();
            register_module("2", _activation);
        }
    }

    public Conv2d Conv { get; }

    public BatchNorm2d Norm { get; }

    public bool HasActivation => _activation is not null;

    public override Tensor forward(Tensor input)
    {
        var x = Norm.call(Conv.call(input));
        return _activation is null ? x : _activation.call(x);
    }
}
