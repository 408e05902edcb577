using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What the inference benchmark measures: client concurrency levels, seconds per level, the model (an ONNX file,
/// <c>tiny</c> for a nearly free model that leaves the HTTP path's own cost, or FerNet exported at
/// <see cref="ImageSize"/>), the service's batching settings, where the service runs (<see cref="ReplicaProcess"/>: a process
/// of its own, as a replica runs, instead of this one), and where the FER images are.</summary>
public sealed record InferenceBenchmarkOptions(
    IReadOnlyList<int> Concurrency,
    double Seconds,
    int Rounds,
    int ImageSize,
    string? Model,
    int MaxBatch,
    double MaxDelayMs,
    int IntraOpThreads,
    bool Spinning,
    int ConcurrentBatches,
    bool PinLanes,
    bool ReplicaProcess,
    string? Data)
{
    public static InferenceBenchmarkOptions Default { get; } = new([1, 8, 32, 64], Seconds: 10, Rounds: 5, ImageSize: 224, Model: null,
        MaxBatch: 16, MaxDelayMs: 2, IntraOpThreads: 1, Spinning: false, ConcurrentBatches: 0, PinLanes: false, ReplicaProcess: false, Data: null);

    /// <summary>The <c>--model</c> value that exports a nearly free model, leaving the HTTP path's own cost.</summary>
    public const string TinyModel = "tiny";

    public const string Usage =
        "inference [--concurrency 1,8,32,64] [--seconds 10] [--rounds 5] [--image-size 224 | --model FILE.onnx | --model tiny] [--max-batch 16] [--max-delay-ms 2] [--threads 1] [--spinning off|on] [--concurrent-batches 0] [--pin-lanes off|on] [--replica in-process|process] [--data DIR]";

    public static InferenceBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = value.Split(',').Select(Int).ToArray() },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = Int(value) },
                "--image-size" => options with { ImageSize = Int(value) },
                "--model" => options with { Model = value },
                "--max-batch" => options with { MaxBatch = Int(value) },
                "--max-delay-ms" => options with { MaxDelayMs = double.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { IntraOpThreads = Int(value) },
                "--spinning" => options with { Spinning = value == "on" },
                "--concurrent-batches" => options with { ConcurrentBatches = Int(value) },
                "--pin-lanes" => options with { PinLanes = value == "on" },
                "--replica" => options with { ReplicaProcess = ParseReplica(value) },
                "--data" => options with { Data = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}"),
            };
            i++;
        }
        if (options.Rounds < 1) throw new ArgumentException("--rounds needs a positive number");
        if (options.Concurrency.Count == 0 || options.Concurrency.Any(c => c < 1)) throw new ArgumentException("--concurrency needs positive numbers");
        if (options.Model is { } model && model != TinyModel && !File.Exists(model)) throw new ArgumentException($"--model {model} does not exist");
        return options;
    }

    /// <summary><c>--replica</c>: <c>process</c> runs the service in a process of its own, as a replica runs; <c>in-process</c> in this one.</summary>
    public static bool ParseReplica(string value) => value switch
    {
        "process" => true,
        "in-process" => false,
        _ => throw new ArgumentException($"--replica takes in-process or process, not '{value}'"),
    };

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
