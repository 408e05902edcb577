using System.Globalization;
using System.Runtime.InteropServices;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Benchmarks;

/// <summary>
/// Cnn48 candidates side by side: TorchSharp training steps per second (forward, backward, AdamW; what a training run
/// spends its time on) and ONNX Runtime serving images per second with and without the exported test-time flip, measured
/// in the same process on the same input. The reference in each row is the first candidate.
/// </summary>
public static class Cnn48Benchmark
{
    public static int Run(Cnn48BenchmarkOptions options, TextWriter output)
    {
        var torchInfo = TorchRuntime.Initialize();
        torch.set_num_threads(options.Threads);
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}; torch: {torchInfo.Describe()}, {torch.get_num_threads()} threads; ORT: CPU, {options.Threads} intra-op threads");
        output.WriteLine($"timing: 1 warm-up batch, then batches for >= {options.Seconds} s; images/s from the median batch; train batch {options.TrainBatch}, serve batch {options.ServeBatch}");
        output.WriteLine();
        var rows = new List<string>
        {
            "| shape | parameters | MMAC/image | train img/s (TorchSharp) | serve img/s (ORT) | serve img/s with flip TTA (ORT) | train vs first |",
            "|---|---|---|---|---|---|---|",
        };
        double? reference = null;
        foreach (var shape in options.Shapes)
        {
            manual_seed(1);
            var train = MeasureTraining(shape, options);
            var (plain, flipped, parameters) = MeasureServing(shape, options);
            reference ??= train.ImagesPerSecond;
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {shape} | {parameters:N0} | {shape.MultiplyAccumulates() / 1e6:F1} | {train.ImagesPerSecond:F0} | {plain.ImagesPerSecond:F0} | {flipped.ImagesPerSecond:F0} | {train.ImagesPerSecond / reference:F2}x |");
            rows.Add(row);
            output.WriteLine(row);
        }
        output.WriteLine();
        foreach (var row in rows) output.WriteLine(row);
        return 0;
    }

    private static Measurement MeasureTraining(Cnn48Shape shape, Cnn48BenchmarkOptions options)
    {
        using var model = new Cnn48(shape.Widths, shape.Depths);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), 1e-3);
        using var input = rand(options.TrainBatch, 1, Cnn48.Size, Cnn48.Size);
        using var labels = randint(0, model.NumClasses, options.TrainBatch);
        return Throughput.Measure(() =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(input), labels);
            loss.backward();
            optimizer.step();
        }, options.TrainBatch, options.Seconds);
    }

    private static (Measurement Plain, Measurement Flipped, long Parameters) MeasureServing(Cnn48Shape shape, Cnn48BenchmarkOptions options)
    {
        using var model = new Cnn48(shape.Widths, shape.Depths);
        model.eval();
        var pixels = ProbeBatch.Noise(options.ServeBatch, ProbeBatch.SampleLength, seed: options.ServeBatch).Pixels;
        Measurement Serve(bool flip)
        {
            model.TestTimeFlip = flip;
            var info = OnnxModelInfo.For(model, "benchmark", new Dictionary<string, double>(), "none", DateTimeOffset.UtcNow);
            using var runtime = new OnnxRuntimeModel(OnnxExporter.Export(model, info), options.Threads);
            return Throughput.Measure(() => runtime.Run(pixels, options.ServeBatch), options.ServeBatch, options.Seconds);
        }
        return (Serve(false), Serve(true), FerNetParameters.Count(model));
    }
}
