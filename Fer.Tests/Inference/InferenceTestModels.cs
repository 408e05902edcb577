using System.Collections.Concurrent;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Tests.Infrastructure;
using Fer.Tests.Onnx;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Fer.Tests.Inference;

/// <summary>
/// Real models for the inference tests, made by our exporter from small TorchSharp classifiers (different seeds give
/// different answers, so a response can be traced to the version that computed it), with TorchSharp's own softmax as
/// the independent reference.
/// </summary>
public static class InferenceTestModels
{
    private static readonly ConcurrentDictionary<int, (byte[] Onnx, TorchSharp.Modules.Sequential Module)> Cache = new();
    private static readonly Lock TorchLock = new();

    public static byte[] Onnx(int seed) => Get(seed).Onnx;

    /// <summary>The reference probabilities of model <paramref name="seed"/> for one canonical crop, from TorchSharp.</summary>
    public static float[] ReferenceProbabilities(int seed, float[] crop)
    {
        var module = Get(seed).Module;
        lock (TorchLock)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return module.call(tensor(crop, [1, 1, FaceImage.Size, FaceImage.Size])).softmax(1).data<float>().ToArray();
        }
    }

    public static string WriteToTempFile(int seed)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fer-inference-").FullName, $"model-{seed}.onnx");
        File.WriteAllBytes(path, Onnx(seed));
        return path;
    }

    /// <summary>Real FER2013 test images, a few per class, in a stable order.</summary>
    public static IReadOnlyList<string> FerImages(int perClass = 1) =>
        EmotionLabels.Names.SelectMany(label => Directory.GetFiles(Path.Combine(RepositoryPaths.Fer2013, "test", label), "*.jpg")
            .Order(StringComparer.Ordinal).Take(perClass)).ToList();

    private static (byte[] Onnx, TorchSharp.Modules.Sequential Module) Get(int seed) => Cache.GetOrAdd(seed, static s =>
    {
        lock (TorchLock)
        {
            TorchRuntime.Initialize();
            var module = TestModels.SmallClassifier(s);
            var info = OnnxModelInfo.ForFerNet($"seed-{s}", 48,
                new Dictionary<string, double> { ["accuracy"] = 0.5 }, "sha256:test", DateTimeOffset.UnixEpoch);
            return (OnnxExporter.Export(module, info), module);
        }
    });
}
