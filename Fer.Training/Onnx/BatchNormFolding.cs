using TorchSharp.Modules;

namespace Fer.Training.Onnx;

/// <summary>
/// Folds eval-mode BatchNorm into neighbouring linear maps, in double precision:
/// BN(y) = a*y + c with a = gamma / sqrt(var + eps) and c = beta - mean * a.
/// </summary>
public static class BatchNormFolding
{
    public static AffineTransform AffineOf(NormBase norm)
    {
        if (norm.running_mean is null || norm.running_var is null)
            throw new NotSupportedException("BatchNorm without running statistics (track_running_stats=false) cannot be folded for inference.");
        var mean = TensorData.ToDoubles(norm.running_mean);
        var variance = TensorData.ToDoubles(norm.running_var);
        var gamma = norm.weight is null ? null : TensorData.ToDoubles(norm.weight);
        var beta = norm.bias is null ? null : TensorData.ToDoubles(norm.bias);

        var scale = new double[mean.Length];
        var shift = new double[mean.Length];
        for (var c = 0; c < mean.Length; c++)
        {
            scale[c] = (gamma?[c] ?? 1.0) / Math.Sqrt(variance[c] + norm.eps);
            shift[c] = (beta?[c] ?? 0.0) - mean[c] * scale[c];
        }
        return new AffineTransform(scale, shift);
    }

    /// <summary>BN after a convolution or linear layer: W' = a[o] * W[o, ...], b' = a[o] * b[o] + c[o].</summary>
    public static (double[] Weight, double[] Bias) FoldAfter(double[] weight, double[]? bias, AffineTransform norm)
    {
        var outputs = norm.Channels;
        if (weight.Length % outputs != 0)
            throw new ArgumentException($"A weight of {weight.Length} values does not split into {outputs} output channels.");
        var perOutput = weight.Length / outputs;
        var folded = new double[weight.Length];
        var foldedBias = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            for (var k = 0; k < perOutput; k++) folded[o * perOutput + k] = weight[o * perOutput + k] * norm.Scale[o];
            foldedBias[o] = (bias?[o] ?? 0.0) * norm.Scale[o] + norm.Shift[o];
        }
        return (folded, foldedBias);
    }

    /// <summary>BN before a linear layer W [out, in]: W' = W[o, i] * a[i], b' = b[o] + sum_i W[o, i] * c[i].</summary>
    public static (double[] Weight, double[] Bias) FoldBefore(double[] weight, double[]? bias, AffineTransform norm)
    {
        var inputs = norm.Channels;
        if (weight.Length % inputs != 0)
            throw new ArgumentException($"A weight of {weight.Length} values does not split into {inputs} input features.");
        var outputs = weight.Length / inputs;
        var folded = new double[weight.Length];
        var foldedBias = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var sum = bias?[o] ?? 0.0;
            for (var i = 0; i < inputs; i++)
            {
                folded[o * inputs + i] = weight[o * inputs + i] * norm.Scale[i];
                sum += weight[o * inputs + i] * norm.Shift[i];
            }
            foldedBias[o] = sum;
        }
        return (folded, foldedBias);
    }
}
