using Fer.Contracts;
using Fer.Training.Onnx.Proto;

namespace Fer.Benchmarks;

/// <summary>
/// The rollout scenario's broken candidates, made from production's own ONNX file by inserting nodes after the one that
/// computes <c>logits</c> (which is renamed <c>logits.raw</c>), so that they load, pass the replica's warm-up (a
/// constant image): <see cref="Shuffled"/> moves every class's score to another class (it disagrees with production on
/// every face); <see cref="FailingOnFaces"/> fails every run whose images are not flat, i.e. every real face, with an
/// index out of range; <see cref="Slower"/> gives production's answers after extra work of its own. The rollout tests
/// make their slow candidate here too.
/// </summary>
public static class ScenarioModels
{
    private const int ModelGraph = 7, GraphNode = 1, GraphInitializer = 5, NodeOutput = 2;
    private const string Input = "input", Logits = "logits", RawLogits = "logits.raw";

    /// <summary>Class k's logit is what production gives class k + 3 (mod 7): no class keeps its own.</summary>
    public static byte[] Shuffled(byte[] onnx)
    {
        var classes = EmotionLabels.Names.Count;
        var permutation = Enumerable.Range(0, classes).Select(k => (long)((k + 3) % classes)).ToArray();
        return Rewire(onnx,
            [new OnnxNode("Gather", "scenario.shuffle", [RawLogits, "scenario.permutation"], [Logits], [OnnxAttribute.Of("axis", 1L)])],
            [OnnxTensor.FromInt64s("scenario.permutation", [classes], permutation)]);
    }

    /// <summary>Adds a zero picked from a one-element tensor at index (max - min of the input) x 1000: index 0 for a flat
    /// warm-up image, far out of range for a face.</summary>
    public static byte[] FailingOnFaces(byte[] onnx) => Rewire(onnx,
        [
            new OnnxNode("ReduceMax", "scenario.max", [Input], ["scenario.max"], [OnnxAttribute.Of("keepdims", 0L)]),
            new OnnxNode("ReduceMin", "scenario.min", [Input], ["scenario.min"], [OnnxAttribute.Of("keepdims", 0L)]),
            new OnnxNode("Sub", "scenario.range", ["scenario.max", "scenario.min"], ["scenario.range"], []),
            new OnnxNode("Mul", "scenario.scale", ["scenario.range", "scenario.thousand"], ["scenario.scaled"], []),
            new OnnxNode("Cast", "scenario.index", ["scenario.scaled"], ["scenario.index"], [OnnxAttribute.Of("to", (long)OnnxElementType.Int64)]),
            new OnnxNode("Gather", "scenario.pick", ["scenario.zero", "scenario.index"], ["scenario.picked"], [OnnxAttribute.Of("axis", 0L)]),
            new OnnxNode("Add", "scenario.add", [RawLogits, "scenario.picked"], [Logits], []),
        ],
        [OnnxTensor.FromFloats("scenario.zero", [1], [0f]), OnnxTensor.FromFloats("scenario.thousand", [], [1000f])]);

    /// <summary>Production's answers, slower: each image's pixels, as 9 rows of 256 taken 8 times over, go through
    /// <paramref name="layers"/> dense layers (MatMul by one 256 x 256 matrix drawn from <paramref name="seed"/>, then
    /// Tanh, so values stay finite), are summed, multiplied by zero and added to the logits. The work depends on the input,
    /// so ONNX Runtime cannot fold it away; the matrix stays in cache, so the time is compute, in proportion to the layers
    /// (about 0.1 ms a layer of CPU time on the build machine).</summary>
    public static byte[] Slower(byte[] onnx, int layers, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        const int width = 256, copies = 8;
        var random = new Random(seed);
        // A gain of about 1.7 a layer keeps the values near 1 through any number of layers (never subnormal floats).
        var weights = Enumerable.Range(0, width * width).Select(_ => (float)((random.NextDouble() * 2 - 1) * 3 / Math.Sqrt(width))).ToArray();
        var nodes = new List<OnnxNode>
        {
            new("Reshape", "scenario.slow.rows", [Input, "scenario.slow.shape"], ["scenario.slow.rows"], []),
            new("Concat", "scenario.slow.copies", [.. Enumerable.Repeat("scenario.slow.rows", copies)], ["scenario.slow.0"], [OnnxAttribute.Of("axis", 0L)]),
        };
        for (var i = 1; i <= layers; i++)
        {
            nodes.Add(new("MatMul", $"scenario.slow.matmul.{i}", [$"scenario.slow.{i - 1}", "scenario.slow.square"], [$"scenario.slow.matmul.{i}"], []));
            nodes.Add(new("Tanh", $"scenario.slow.tanh.{i}", [$"scenario.slow.matmul.{i}"], [$"scenario.slow.{i}"], []));
        }
        nodes.Add(new("ReduceSum", "scenario.slow.sum", [$"scenario.slow.{layers}"], ["scenario.slow.sum"], [OnnxAttribute.Of("keepdims", 0L)]));
        nodes.Add(new("Mul", "scenario.slow.nothing", ["scenario.slow.sum", "scenario.zero"], ["scenario.slow.nothing"], []));
        nodes.Add(new("Add", "scenario.slow.add", [RawLogits, "scenario.slow.nothing"], [Logits], []));
        return Rewire(onnx, nodes,
        [
            OnnxTensor.FromInt64s("scenario.slow.shape", [2], [-1, width]),
            OnnxTensor.FromFloats("scenario.slow.square", [width, width], weights),
            OnnxTensor.FromFloats("scenario.zero", [1], [0f]),
        ]);
    }

    /// <summary>Renames the output <c>logits</c> of the node that makes it, inserts <paramref name="nodes"/> (which must
    /// make <c>logits</c> again) right after that node, and adds <paramref name="initializers"/>.</summary>
    private static byte[] Rewire(byte[] onnx, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers)
    {
        var model = new ProtoWriter(onnx.Length + 4096);
        var graphs = 0;
        foreach (var field in ProtoField.ReadAll(onnx))
        {
            if (field.Number != ModelGraph)
            {
                model.WriteRaw(field.Whole.Span);
                continue;
            }
            graphs++;
            model.WriteBytes(ModelGraph, RewireGraph(field.Payload, nodes, initializers));
        }
        if (graphs != 1) throw new FormatException($"the model has {graphs} graphs, not one");
        return model.ToArray();
    }

    private static byte[] RewireGraph(ReadOnlyMemory<byte> graph, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers)
    {
        var writer = new ProtoWriter(graph.Length + 4096);
        var rewired = 0;
        foreach (var field in ProtoField.ReadAll(graph))
        {
            var nodeFields = field.Number == GraphNode ? ProtoField.ReadAll(field.Payload) : null;
            if (nodeFields is null || !nodeFields.Any(f => f.Number == NodeOutput && f.Text == Logits))
            {
                writer.WriteRaw(field.Whole.Span);
                continue;
            }
            rewired++;
            var node = new ProtoWriter();
            foreach (var nodeField in nodeFields)
            {
                if (nodeField.Number == NodeOutput && nodeField.Text == Logits) node.WriteString(NodeOutput, RawLogits);
                else node.WriteRaw(nodeField.Whole.Span);
            }
            writer.WriteBytes(GraphNode, node.WrittenSpan);
            foreach (var inserted in nodes) writer.WriteMessage(GraphNode, w => OnnxModelWriter.WriteNode(w, inserted));
        }
        if (rewired != 1) throw new FormatException($"{rewired} nodes make '{Logits}', not one: this is not a model the scenario can change");
        foreach (var tensor in initializers) writer.WriteMessage(GraphInitializer, w => OnnxModelWriter.WriteTensor(w, tensor));
        return writer.ToArray();
    }
}
