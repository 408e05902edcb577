using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>What <c>label-free-estimates</c> runs on: the model (the bundled one by default), an optional second model
/// for the two-model estimates, FER2013's folder, and a cap of faces per class for a quick run.</summary>
public sealed record LabelFreeEstimatesOptions(string? Model, string? SecondModel, string? Data, int MaxPerClass)
{
    public const string Usage = "label-free-estimates [--model model.onnx] [--second-model other.onnx] [--data DIR] [--max-per-class N]";

    public static LabelFreeEstimatesOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LabelFreeEstimatesOptions(null, null, null, 0);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value; usage: {Usage}");
            options = args[i] switch
            {
                "--model" => options with { Model = value },
                "--second-model" => options with { SecondModel = value },
                "--data" => options with { Data = value },
                "--max-per-class" => options with { MaxPerClass = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}"),
            };
        }
        if (options.MaxPerClass < 0) throw new ArgumentException("--max-per-class needs 0 (all faces) or a positive number");
        return options;
    }
}
