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

    /// <summary>Model <paramref name="seed"/> with its outputs moved one class on (class k's score is what the original
    /// gives class k - 1): it disagrees with the original on every face.</summary>
    public static byte[] ShiftedOnnx(int seed) => Get(-seed).Onnx;

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

    /// <summary>Runs <paramref name="use"/> on the TorchSharp classifier of model <paramref name="seed"/> (for graphs built
    /// around it), under the lock that keeps TorchSharp's global seed from being raced.</summary>
    public static T WithClassifier<T>(int seed, Func<TorchSharp.Modules.Sequential, T> use)
    {
        var module = Get(seed).Module;
        lock (TorchLock) return use(module);
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

    /// <summary>Model <paramref name="seed"/>; a negative seed is the positive one with its outputs shifted a class on.
    /// The shifted model copies the original's weights rather than drawing them again: TorchSharp's generator is global,
    /// and a training test running beside could advance it between the seed and the draw, giving two unrelated models
    /// that may agree (seen once in CI: a "shifted" candidate agreed with production and was promoted).</summary>
    private static (byte[] Onnx, TorchSharp.Modules.Sequential Module) Get(int seed)
    {
        var original = seed < 0 ? Get(-seed).Module : null;
        return Cache.GetOrAdd(seed, static (s, original) =>
        {
            lock (TorchLock)
            {
                TorchRuntime.Initialize();
                var module = TestModels.SmallClassifier(Math.Abs(s));
                if (original is not null)
                {
                    using var noGrad = no_grad();
                    module.load_state_dict(original.state_dict());
                    var last = (TorchSharp.Modules.Linear)module[13];
                    last.weight!.copy_(last.weight.roll(1, 0));
                    last.bias!.copy_(last.bias.roll(1, 0));
                }
                var info = OnnxModelInfo.ForFerNet(s < 0 ? $"seed-{-s}-shifted" : $"seed-{s}", 48,
                    new Dictionary<string, double> { ["accuracy"] = 0.5 }, "sha256:test", DateTimeOffset.UnixEpoch);
                return (OnnxExporter.Export(module, info), module);
            }
        }, original);
    }
}
