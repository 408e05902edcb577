using System.Globalization;
using Fer.Registry.Rollouts;

namespace Fer.Benchmarks;

/// <summary>What the shadow-cost benchmark measures: client concurrency, seconds of load in each mode (split into
/// alternating windows), the shadow share, the model served as production and as its twin in shadow, where FER2013 is, and
/// whether shadow work is admitted by the replica's budget (the default, or another share of the cores: 0 measures what
/// shadow mode costs with every shadow run dropped) or, as before it, by the queue rule alone.</summary>
public sealed record ShadowCostOptions(int Concurrency, double Seconds, int Rounds, double Share, string Model, string? Data, bool QueueRuleOnly = false,
    double? CpuShare = null)
{
    public const string Usage =
        "shadow-cost [--concurrency 8] [--seconds 60] [--rounds 6] [--share 0.5] [--model Fer.Trainer/BundledModel/model.onnx] [--data DIR] [--admission budget|queue-only] [--cpu-share 0.03]";

    /// <summary>The default plan's shadow step sets the share; the bundled model is what a fresh system serves.</summary>
    public static ShadowCostOptions Default { get; } = new(8, 60, 6, Rollout.DefaultSteps[0].Share,
        Path.Combine("Fer.Trainer", "BundledModel", "model.onnx"), Data: null);

    public static ShadowCostOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--share" => options with { Share = double.Parse(value, CultureInfo.InvariantCulture) },
                "--model" => options with { Model = value },
                "--cpu-share" => options with { CpuShare = double.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => options with { Data = value },
                "--admission" => options with
                {
                    QueueRuleOnly = value switch
                    {
                        "budget" => false,
                        "queue-only" => true,
                        _ => throw new ArgumentException($"--admission is budget or queue-only, not {value}"),
                    },
                },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}"),
            };
            i++;
        }
        if (options.Concurrency < 1 || options.Rounds < 1 || options.Seconds <= 0)
            throw new ArgumentException("--concurrency, --rounds and --seconds need positive numbers");
        if (options.Share is <= 0 or > 1) throw new ArgumentException("--share must be in (0, 1]");
        if (options.CpuShare is < 0 or > 1) throw new ArgumentException("--cpu-share must be in [0, 1]");
        if (options.CpuShare is not null && options.QueueRuleOnly) throw new ArgumentException("--cpu-share sets the budget, which --admission queue-only opens wide: give one of them");
        if (!File.Exists(options.Model)) throw new ArgumentException($"--model {options.Model} does not exist (run from the repository root, or pass --model)");
        return options;
    }
}
