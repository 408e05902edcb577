using System.Globalization;
using System.Runtime.InteropServices;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Benchmarks;

/// <summary>
/// Images per second of FerNet exported to ONNX and run in ONNX Runtime, against the same model in TorchSharp (eval,
/// no_grad), measured in the same process on the same input. Both runtimes get the same number of threads.
/// </summary>
public static class OnnxBenchmark
{
    public static int Run(OnnxBenchmarkOptions options, TextWriter output)
    {
        var torchInfo = TorchRuntime.Initialize();
        torch.set_num_threads(options.Threads);
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}");
        output.WriteLine($"torch: {torchInfo.Describe()}; intra-op threads now {torch.get_num_threads()}");
        output.WriteLine($"onnx runtime: CPU, graph optimisation ORT_ENABLE_ALL, sequential execution, intra-op threads {options.Threads}");
        output.WriteLine($"timing: 1 warm-up batch, then batches for >= {options.Seconds} s (at least 3); images/s from the median batch");
        output.WriteLine();

        var rows = new List<string>
        {
            "| S | batch | TorchSharp img/s | ONNX Runtime img/s | ORT / TorchSharp | TorchSharp ms/batch | ORT ms/batch |",
            "|---|---|---|---|---|---|---|",
        };
        foreach (var size in options.Sizes)
        {
            manual_seed(1);
            using var model = new FerNet(size);
            model.eval();
            var info = OnnxModelInfo.ForFerNet("benchmark", size, new Dictionary<string, double>(), "none", DateTimeOffset.UtcNow);
            using var runtime = new OnnxRuntimeModel(OnnxExporter.Export(model, info), options.Threads);
            var parity = OnnxParityGate.Measure(model, runtime, ProbeBatch.Noise(2, ProbeBatch.SampleLength));
            output.WriteLine($"S={size}: exported; same model check on 2 noise images: {parity.Summary()}");

            foreach (var batch in options.Batches)
            {
                var pixels = ProbeBatch.Noise(batch, ProbeBatch.SampleLength, seed: batch).Pixels;
                using var input = tensor(pixels, [batch, 1, ProbeBatch.Side, ProbeBatch.Side]);
                var torchResult = Throughput.Measure(() =>
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    _ = model.call(input).data<float>()[0];
                }, batch, options.Seconds);
                var onnxResult = Throughput.Measure(() => runtime.Run(pixels, batch), batch, options.Seconds);
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {size} | {batch} | {torchResult.ImagesPerSecond:F1} | {onnxResult.ImagesPerSecond:F1} | " +
                    $"{onnxResult.ImagesPerSecond / torchResult.ImagesPerSecond:F2}x | {torchResult.MedianBatchMilliseconds:F1} | {onnxResult.MedianBatchMilliseconds:F1} |");
                rows.Add(row);
                output.WriteLine(row);
            }
        }
        output.WriteLine();
        foreach (var row in rows) output.WriteLine(row);
        return 0;
    }
}
