using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What the Cnn48 benchmark measures: candidate shapes, the training and serving batch sizes, seconds per figure, threads.</summary>
public sealed record Cnn48BenchmarkOptions(IReadOnlyList<Cnn48Shape> Shapes, int TrainBatch, int ServeBatch, double Seconds, int Threads)
{
    public const string Usage = "cnn48 [--shapes 32-64-128-256/1-2-2-2,...] [--train-batch 64] [--serve-batch 32] [--seconds 5] [--threads N]";

    public static Cnn48BenchmarkOptions Default { get; } = new([Cnn48Shape.Default], 64, 32, 5, Environment.ProcessorCount);

    public static Cnn48BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--shapes" => options with { Shapes = value.Split(',').Select(Cnn48Shape.Parse).ToArray() },
                "--train-batch" => options with { TrainBatch = int.Parse(value, CultureInfo.InvariantCulture) },
                "--serve-batch" => options with { ServeBatch = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }
        return options;
    }
}
