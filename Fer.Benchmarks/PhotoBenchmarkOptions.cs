using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What the photo benchmark measures: faces per photo, client concurrencies, seconds per concurrency (split into
/// alternating rounds of raw pipeline and service), the classifier, where the service runs, and where FER2013 is.</summary>
public sealed record PhotoBenchmarkOptions(
    IReadOnlyList<int> Faces,
    IReadOnlyList<int> Concurrency,
    double Seconds,
    int Rounds,
    string Model,
    bool ReplicaProcess,
    string? Data)
{
    public const string Usage =
        "photos [--faces 1,4] [--concurrency 1,8,32] [--seconds 20] [--rounds 5] [--model Fer.Trainer/BundledModel/model.onnx] [--replica in-process|process] [--data DIR]";

    public static PhotoBenchmarkOptions Default { get; } = new([1, 4], [1, 8, 32], 20, 5,
        Path.Combine("Fer.Trainer", "BundledModel", "model.onnx"), ReplicaProcess: false, Data: null);

    public static PhotoBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--faces" => options with { Faces = Ints(value) },
                "--concurrency" => options with { Concurrency = Ints(value) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--model" => options with { Model = value },
                "--replica" => options with { ReplicaProcess = InferenceBenchmarkOptions.ParseReplica(value) },
                "--data" => options with { Data = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}"),
            };
            i++;
        }
        if (options.Rounds < 1) throw new ArgumentException("--rounds needs a positive number");
        if (options.Faces.Any(f => f is not (1 or 4))) throw new ArgumentException("--faces takes 1 and/or 4");
        if (options.Concurrency.Count == 0 || options.Concurrency.Any(c => c < 1)) throw new ArgumentException("--concurrency needs positive numbers");
        if (!File.Exists(options.Model)) throw new ArgumentException($"--model {options.Model} does not exist (run from the repository root, or pass --model)");
        return options;
    }

    private static int[] Ints(string text) => text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
}
