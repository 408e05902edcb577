using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// Stochastic depth in torchvision's "row" mode: in training, each sample's residual branch is dropped with
/// <see cref="Probability"/> and the survivors are scaled by 1/(1-p); in eval mode it is the identity.
/// </summary>
public sealed class StochasticDepth : nn.Module<Tensor, Tensor>
{
    public StochasticDepth(double probability) : base(nameof(StochasticDepth))
    {
        if (probability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "drop probability must be between 0 and 1");
        Probability = probability;
    }

    public double Probability { get; }

    public override Tensor forward(Tensor input)
    {
        if (!training || Probability == 0) return input.alias();
        var survival = 1 - Probability;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var noise = empty(shape, dtype: input.dtype, device: input.device).bernoulli_(survival);
        if (survival > 0) noise.div_(survival);
        return input * noise;
    }
}
