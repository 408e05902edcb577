using static TorchSharp.torch;

namespace Fer.Training.Onnx;

/// <summary>Copies TorchSharp tensors out to managed arrays (on the CPU, contiguous, converted to the asked type).</summary>
public static class TensorData
{
    public static double[] ToDoubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    public static float[] ToFloats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    public static float[] ToFloats(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }
}
