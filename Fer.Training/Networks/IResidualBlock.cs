using TorchSharp.Modules;

namespace Fer.Training.Networks;

/// <summary>A backbone block whose output may be added to its input (MBConv, FusedMBConv). Its branch ends in a
/// convolution + BatchNorm (+ SiLU only in a fused block of ratio 1, and SiLU(0) = 0), so a zero BatchNorm scale and
/// bias make the block the identity.</summary>
public interface IResidualBlock
{
    bool UseResidual { get; }

    Sequential Block { get; }

    /// <summary>The BatchNorm that closes the residual branch.</summary>
    BatchNorm2d BranchNorm => ((Conv2dNormActivation)Block.children().Last()).Norm;
}
