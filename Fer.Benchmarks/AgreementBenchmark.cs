using Fer.Training.Data;
using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>
/// How often two model versions give a face the same emotion, on FER2013's validation split (the shipped model's: 10 % of
/// train, seed 42): the number the rollout's shadow agreement floor is set against (docs/rollout.md). Validation, not
/// test, because the floor is a setting tuned on it.
/// </summary>
public static class AgreementBenchmark
{
    public const string Usage = "agreement --model A.onnx --model B.onnx [--model C.onnx ...] [--data DIR]";

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var models = new List<string>();
        string? data = null;
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value; usage: {Usage}");
            switch (args[i])
            {
                case "--model": models.Add(value); break;
                case "--data": data = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
        }
        if (models.Count < 2) throw new ArgumentException($"give at least two models; usage: {Usage}");

        data ??= Path.GetFullPath(Path.Combine(FacesFitBenchmark.RepositoryRoot(), "..", "shared", "data", "fer2013"));
        var validation = FaceDataSource.Load(data, 0.1, 42).Validation;
        var labels = validation.Samples.Select(s => s.Label).ToArray();
        var answers = models.Select(m => Predict(m, validation)).ToList();
        output.WriteLine($"agreement on {validation.Count} FER2013 validation faces ({data})");
        for (var m = 0; m < models.Count; m++)
            output.WriteLine($"  {Name(models[m])}: accuracy {Share(answers[m], labels):P1}");
        for (var a = 0; a < models.Count; a++)
        for (var b = a + 1; b < models.Count; b++)
            output.WriteLine($"  {Name(models[a])} vs {Name(models[b])}: same emotion on {Share(answers[a], answers[b]):P1} of faces");
        return 0;
    }

    private static string Name(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    private static double Share(int[] a, int[] b) => a.Zip(b).Count(p => p.First == p.Second) / (double)a.Length;

    private static int[] Predict(string modelPath, FaceDataset faces)
    {
        using var model = new OnnxRuntimeModel(File.ReadAllBytes(modelPath));
        return [.. model.Probabilities([.. faces.Samples.Select(s => s.Pixels)], batch: 256).Select(row => Array.IndexOf(row, row.Max()))];
    }
}
