using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What <c>faces-fit</c> runs on: composite frames per split, their seed, FER2013's folder and the classifier.</summary>
public sealed record FacesFitOptions(int Frames, int Seed, string? Data, string? Model)
{
    public const string Usage = "faces-fit [--frames 1000] [--seed 2025] [--data DIR] [--model model.onnx]";

    public static FacesFitOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FacesFitOptions(1000, 2025, null, null);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value; usage: {Usage}");
            options = args[i] switch
            {
                "--frames" => options with { Frames = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => options with { Data = value },
                "--model" => options with { Model = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}"),
            };
        }
        if (options.Frames < 1) throw new ArgumentException("--frames needs a positive number");
        return options;
    }
}
