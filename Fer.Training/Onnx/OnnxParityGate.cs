using Fer.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Training.Onnx;

/// <summary>
/// Accepts an export only if ONNX Runtime reproduces the TorchSharp model's eval output on a probe batch: per image, the
/// relative L2 error of logits and of probabilities must be within the tolerance (default 1e-4). For FerNet it also
/// evaluates a float64 copy of the model, so that the report shows the float32 noise floor next to each error and a
/// failure can say whether the model's conditioning or the export is to blame (the verdict itself does not change).
/// </summary>
public static class OnnxParityGate
{
    public const double DefaultTolerance = 1e-4;

    public static ParityReport Measure(nn.Module<Tensor, Tensor> model, byte[] onnx, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        using var runtime = new OnnxRuntimeModel(onnx);
        return Measure(model, runtime, probe, tolerance);
    }

    public static ParityReport Measure(nn.Module<Tensor, Tensor> model, OnnxRuntimeModel runtime, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        if (probe.Pixels.Length != probe.Count * runtime.SampleLength)
            throw new ArgumentException($"The probe batch holds {probe.Pixels.Length} values; the model takes {runtime.SampleLength} per image.");
        var fromOnnx = runtime.Run(probe.Pixels, probe.Count);
        var (logits, probabilities) = RunTorch(model, probe, runtime.SampleShape);
        if (logits.Length != fromOnnx.Logits.Length)
            throw new InvalidOperationException($"TorchSharp gives {logits.Length} logits for the probe batch, ONNX Runtime {fromOnnx.Logits.Length}.");
        var exact = model is FerNet ferNet ? RunFloat64Copy(ferNet, probe, runtime.SampleShape) : null;

        var classes = fromOnnx.Classes;
        var images = new ImageParity[probe.Count];
        for (var n = 0; n < probe.Count; n++)
        {
            var range = new Range(n * classes, (n + 1) * classes);
            images[n] = new ImageParity(probe.Sources[n],
                RelativeError(fromOnnx.Logits.AsSpan(range), logits.AsSpan(range)),
                RelativeError(fromOnnx.Probabilities.AsSpan(range), probabilities.AsSpan(range)),
                MaxAbsError(fromOnnx.Logits.AsSpan(range), logits.AsSpan(range)),
                exact is null ? null : RelativeError(logits.AsSpan(range), exact.AsSpan(range)),
                exact is null ? null : RelativeError(fromOnnx.Logits.AsSpan(range), exact.AsSpan(range)));
        }
        return new ParityReport(images, tolerance);
    }

    /// <summary>Measures and throws <see cref="OnnxParityException"/> (with the numbers) when parity fails.</summary>
    public static ParityReport Enforce(nn.Module<Tensor, Tensor> model, byte[] onnx, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        var report = Measure(model, onnx, probe, tolerance);
        return report.Passed ? report : throw new OnnxParityException(report);
    }

    public static ParityReport Enforce(nn.Module<Tensor, Tensor> model, OnnxRuntimeModel runtime, ProbeBatch probe, double tolerance = DefaultTolerance)
    {
        var report = Measure(model, runtime, probe, tolerance);
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
        return Ratio(difference, reference);
    }

    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        double difference = 0, reference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = actual[i] - expected[i];
            difference += d * d;
            reference += expected[i] * expected[i];
        }
        return Ratio(difference, reference);
    }

    // A NaN anywhere must fail the gate, not slip through a comparison.
    private static double Ratio(double difference, double reference) =>
        double.IsNaN(difference) || double.IsNaN(reference) ? double.PositiveInfinity
        : reference == 0 ? (difference == 0 ? 0 : double.PositiveInfinity)
        : Math.Sqrt(difference / reference);

    private static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        return double.IsNaN(max) ? double.PositiveInfinity : max;
    }

    private static (float[] Logits, float[] Probabilities) RunTorch(nn.Module<Tensor, Tensor> model, ProbeBatch probe, IReadOnlyList<long> sampleShape)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            var logits = model.call(tensor(probe.Pixels, [probe.Count, .. sampleShape]).to(device));
            var probabilities = nn.functional.softmax(logits, 1);
            return (TensorData.ToFloats(logits), TensorData.ToFloats(probabilities));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The same weights in float64 on the CPU, in a copy: converting the caller's model would replace its
    /// parameter objects under any optimizer that holds them.</summary>
    private static double[] RunFloat64Copy(FerNet model, ProbeBatch probe, IReadOnlyList<long> sampleShape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var copy = new FerNet(model.ImageSize, model.NumClasses) { TestTimeFlip = model.TestTimeFlip };
        copy.load_state_dict(model.state_dict());
        copy.to(ScalarType.Float64);
        copy.eval();
        var logits = copy.call(tensor(probe.Pixels, [probe.Count, .. sampleShape]).to_type(ScalarType.Float64));
        return TensorData.ToDoubles(logits);
    }
}
