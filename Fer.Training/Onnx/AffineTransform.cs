namespace Fer.Training.Onnx;

/// <summary>A per-channel affine map y = Scale * x + Shift, which is what an eval-mode BatchNorm computes.</summary>
public sealed record AffineTransform(double[] Scale, double[] Shift)
{
    public int Channels => Scale.Length;
}
