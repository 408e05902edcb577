using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Training.Torch;

/// <summary>
/// Runs a 24-channel 3x3 convolution (the width of EfficientNetV2-S's stem, where wrong kernels showed up) through libtorch
/// and compares it with a plain double-precision loop in C#.
/// </summary>
public static class ConvolutionSelfCheck
{
    private const int Channels = 24, Size = 10, Kernel = 3;

    public static ConvolutionCheckResult Run()
    {
        using var scope = NewDisposeScope();
        var generator = new Random(2013);
        var input = RandomArray(generator, 2 * Channels * Size * Size);
        var weight = RandomArray(generator, Channels * Channels * Kernel * Kernel);

        var output = nn.functional.conv2d(
            tensor(input, [2, Channels, Size, Size]),
            tensor(weight, [Channels, Channels, Kernel, Kernel]),
            padding: [1, 1]).data<float>().ToArray();

        var expected = Reference(input, weight);
        var maxError = 0.0;
        for (var i = 0; i < expected.Length; i++) maxError = Math.Max(maxError, Math.Abs(expected[i] - output[i]));
        return new ConvolutionCheckResult(maxError, Tolerance: 1e-3);
    }

    private static float[] RandomArray(Random generator, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)(generator.NextDouble() * 2 - 1);
        return values;
    }

    private static double[] Reference(float[] input, float[] weight)
    {
        var output = new double[2 * Channels * Size * Size];
        for (var n = 0; n < 2; n++)
        for (var o = 0; o < Channels; o++)
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var sum = 0.0;
            for (var c = 0; c < Channels; c++)
            for (var ky = 0; ky < Kernel; ky++)
            for (var kx = 0; kx < Kernel; kx++)
            {
                int iy = y + ky - 1, ix = x + kx - 1;
                if (iy < 0 || iy >= Size || ix < 0 || ix >= Size) continue;
                sum += (double)input[((n * Channels + c) * Size + iy) * Size + ix] *
                       weight[((o * Channels + c) * Kernel + ky) * Kernel + kx];
            }
            output[((n * Channels + o) * Size + y) * Size + x] = sum;
        }
        return output;
    }
}
