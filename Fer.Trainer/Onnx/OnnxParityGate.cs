using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Trainer.Onnx;

/// <summary>
/// Accepts an export only if ONNX Runtime reproduces the TorchSharp model's eval output on a probe batch: per image, the
/// relative L2 error of logits and of probabilities must be within the tolerance (default 1e-4).
/// </summary>
public static class OnnxParityGate
{
    public const double DefaultTolerance = 1e-4;

    public static ParityReport Measure(nn.Module<Tensor, Tensor> model, byte[] onnx, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        using var runtime = new OnnxRuntimeModel(onnx);
        if (probe.Pixels.Length != probe.Count * runtime.SampleLength)
            throw new ArgumentException($"The probe batch holds {probe.Pixels.Length} values; the model takes {runtime.SampleLength} per image.");
        var fromOnnx = runtime.Run(probe.Pixels, probe.Count);
        var (logits, probabilities) = RunTorch(model, probe, runtime.SampleShape);
        if (logits.Length != fromOnnx.Logits.Length)
            throw new InvalidOperationException($"TorchSharp gives {logits.Length} logits for the probe batch, ONNX Runtime {fromOnnx.Logits.Length}.");

        var classes = fromOnnx.Classes;
        var images = new ImageParity[probe.Count];
        for (var n = 0; n < probe.Count; n++)
        {
            var range = new Range(n * classes, (n + 1) * classes);
            images[n] = new ImageParity(probe.Sources[n],
                RelativeError(fromOnnx.Logits.AsSpan(range), logits.AsSpan(range)),
                RelativeError(fromOnnx.Probabilities.AsSpan(range), probabilities.AsSpan(range)),
                MaxAbsError(fromOnnx.Logits.AsSpan(range), logits.AsSpan(range)));
        }
        return new ParityReport(images, tolerance);
    }

    /// <summary>Measures and throws <see cref="OnnxParityException"/> (with the numbers) when parity fails.</summary>
    public static ParityReport Enforce(nn.Module<Tensor, Tensor> model, byte[] onnx, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        var report = Measure(model, onnx, probe, tolerance);
        return report.Passed ? report : throw new OnnxParityException(report);
    }

    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double difference = 0, reference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = (double)actual[i] - expected[i];
            difference += d * d;
            reference += (double)expected[i] * expected[i];
        }
        // A NaN anywhere must fail the gate, not slip through a comparison.
        if (double.IsNaN(difference)) return double.PositiveInfinity;
        return reference == 0 ? (difference == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(difference / reference);
    }

    private static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        return max;
    }

    private static (float[] Logits, float[] Probabilities) RunTorch(nn.Module<Tensor, Tensor> model, ProbeBatch probe, IReadOnlyList<long> sampleShape)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = model.call(tensor(probe.Pixels, [probe.Count, .. sampleShape]));
            var probabilities = nn.functional.softmax(logits, 1);
            return (TensorData.ToFloats(logits), TensorData.ToFloats(probabilities));
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
