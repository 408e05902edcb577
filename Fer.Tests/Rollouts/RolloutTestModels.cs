using Fer.Benchmarks;
using Fer.Contracts;
using Fer.Tests.Inference;
using Fer.Training.Onnx;
using Fer.Training.Onnx.Proto;

namespace Fer.Tests.Rollouts;

/// <summary>
/// Candidates that go wrong in one way each, for the rollout's failure tests: <see cref="InferenceTestModels"/>'
/// classifier with a branch of extra ONNX nodes added to its logits. Each is a valid graph that ONNX Runtime loads.
/// </summary>
public static class RolloutTestModels
{
    private const int Pixels = 48 * 48;

    /// <summary>Passes the replica's warm-up (uniform grey batches) but fails on every real face: a Gather reads index
    /// ceil(max - min of the batch's pixels) of a one-element tensor, which is 0 for a uniform batch and 1, out of range,
    /// for any face with contrast. A model that fails on inputs its checks never showed it.</summary>
    public static byte[] FailsOnRealFaces(int seed) => Build(seed, "fails-on-real-faces", (graph, input, logits) =>
    {
        var spread = graph.AddNode("Sub", "fault", [
            graph.AddNode("ReduceMax", "fault", [input], OnnxAttribute.Of("keepdims", 0L)),
            graph.AddNode("ReduceMin", "fault", [input], OnnxAttribute.Of("keepdims", 0L))]);
        var index = graph.AddNode("Cast", "fault", [graph.AddNode("Ceil", "fault", [spread])], OnnxAttribute.Of("to", (long)OnnxElementType.Int64));
        var single = graph.AddInitializer("fault.single", (ReadOnlySpan<float>)[0f], 1);
        return graph.AddNode("Add", "fault", [logits, graph.AddNode("Gather", "fault", [single, index])]);
    });

    /// <summary>Fails every run, whatever the input: a Reshape of each image's 2,304 pixels to rows of 7, which cannot
    /// fit. ONNX Runtime creates the session; the replica's warm-up run refuses the model.</summary>
    public static byte[] FailsEveryRun(int seed) => Build(seed, "fails-every-run", (graph, input, logits) =>
    {
        var shape = graph.AddInitializer("fault.shape", (ReadOnlySpan<long>)[-1, Pixels, 7], 3);
        var rows = graph.AddNode("Reshape", "fault", [input, shape]);
        var zero = graph.AddNode("ReduceSum", "fault", [rows], OnnxAttribute.Of("keepdims", 0L));
        return graph.AddNode("Add", "fault", [logits, zero]);
    });

    /// <summary>Model <paramref name="seed"/>'s answers, slower: <paramref name="layers"/> dense layers of extra work
    /// whose result is multiplied by zero (<see cref="ScenarioModels.Slower"/>, the rollout scenario's slow candidate),
    /// about 0.1 ms of CPU time a layer here.</summary>
    public static byte[] Slow(int seed, int layers) => ScenarioModels.Slower(Build(seed, $"slow-{layers}", (_, _, logits) => logits), layers, seed);

    /// <summary>The classifier of model <paramref name="seed"/> as its exporter writes it, with <paramref name="branch"/>
    /// (graph, input, logits -> new logits) between its logits and its softmax.</summary>
    private static byte[] Build(int seed, string name, Func<OnnxGraphBuilder, string, string, string> branch)
    {
        var info = OnnxModelInfo.ForFerNet($"seed-{seed}-{name}", 48, new Dictionary<string, double> { ["accuracy"] = 0.5 }, "sha256:test", DateTimeOffset.UnixEpoch);
        var graph = new OnnxGraphBuilder();
        OnnxDimension[] inputShape = [OnnxDimension.Symbolic(OnnxNames.BatchDimension), OnnxDimension.Fixed(1), OnnxDimension.Fixed(48), OnnxDimension.Fixed(48)];
        var input = graph.AddInput(OnnxNames.Input, OnnxElementType.Float, inputShape);
        var logits = branch(graph, input, InferenceTestModels.WithClassifier(seed, module => new ModuleGraphEmitter(graph).Emit(module, input, "")));
        var probabilities = graph.AddNode("Softmax", "head", [logits], OnnxAttribute.Of("axis", 1L));
        OnnxDimension[] outputShape = [OnnxDimension.Symbolic(OnnxNames.BatchDimension), OnnxDimension.Fixed(EmotionLabels.Names.Count)];
        graph.AddOutput(logits, OnnxNames.Logits, OnnxElementType.Float, outputShape);
        graph.AddOutput(probabilities, OnnxNames.Probabilities, OnnxElementType.Float, outputShape);
        return OnnxModelWriter.Serialize(new OnnxModel(OnnxContract.IrVersion, OnnxContract.Opset, "Fer.Tests", "0", "fer", 1,
            $"test model {info.Version}", graph.Build(name), info.ToMetadata()));
    }
}
