using Fer.Training.Onnx.Proto;

namespace Fer.Training.Onnx;

/// <summary>
/// Collects nodes, initializers, inputs and outputs in topological order and hands out unique value names derived from
/// module paths (so a node reads like <c>features.1.0.block.0/Conv</c> in a viewer).
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public int NodeCount => _nodes.Count;

    public IEnumerable<string> OperatorTypes => _nodes.Select(n => n.OpType);

    public string AddInput(string name, OnnxElementType elementType, IReadOnlyList<OnnxDimension> shape, string docString = "")
    {
        Claim(name);
        _inputs.Add(new OnnxValueInfo(name, elementType, shape, docString));
        return name;
    }

    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var name = Unique(hint);
        _initializers.Add(OnnxTensor.FromFloats(name, dims, values));
        return name;
    }

    public string AddInitializer(string hint, ReadOnlySpan<long> values, params long[] dims)
    {
        var name = Unique(hint);
        _initializers.Add(OnnxTensor.FromInt64s(name, dims, values));
        return name;
    }

    /// <summary>Adds a single-output node and returns the name of its output.</summary>
    public string AddNode(string opType, string path, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        var output = Unique($"{path}/{opType}");
        _nodes.Add(new OnnxNode(opType, output, inputs, [output], attributes));
        return output;
    }

    /// <summary>Declares <paramref name="value"/> a graph output under <paramref name="name"/> by renaming the value
    /// where the node that produces it writes it (and wherever later nodes read it).</summary>
    public void AddOutput(string value, string name, OnnxElementType elementType, IReadOnlyList<OnnxDimension> shape, string docString = "")
    {
        if (value != name)
        {
            Claim(name);
            var producer = _nodes.FindIndex(n => n.Outputs.Contains(value));
            if (producer < 0) throw new InvalidOperationException($"No node produces '{value}', so it cannot become output '{name}'.");
            for (var i = producer; i < _nodes.Count; i++)
            {
                var node = _nodes[i];
                _nodes[i] = node with
                {
                    Inputs = node.Inputs.Select(v => v == value ? name : v).ToArray(),
                    Outputs = node.Outputs.Select(v => v == value ? name : v).ToArray(),
                };
            }
        }
        _outputs.Add(new OnnxValueInfo(name, elementType, shape, docString));
    }

    public OnnxGraph Build(string name) => new(name, _nodes.ToArray(), _initializers.ToArray(), _inputs.ToArray(), _outputs.ToArray());

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"The graph already has a value named '{name}'.");
    }

    private string Unique(string hint)
    {
        if (_names.Add(hint)) return hint;
        for (var i = 1; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (_names.Add(candidate)) return candidate;
        }
    }
}
