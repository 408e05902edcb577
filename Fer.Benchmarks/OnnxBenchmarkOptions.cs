using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What the ONNX benchmark measures: backbone sizes, batch sizes, seconds per measurement, threads for both runtimes.</summary>
public sealed record OnnxBenchmarkOptions(IReadOnlyList<int> Sizes, IReadOnlyList<int> Batches, double Seconds, int Threads)
{
    public static OnnxBenchmarkOptions Default { get; } = new([224, 128], [1, 32], Seconds: 5, Threads: Environment.ProcessorCount);

    public static OnnxBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = Numbers(value) },
                "--batches" => options with { Batches = Numbers(value) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }
        return options;
    }

    private static int[] Numbers(string list) => list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
