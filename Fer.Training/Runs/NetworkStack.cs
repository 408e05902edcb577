using Fer.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Runs;

/// <summary>
/// A network's backbone seen as the flat list of its units (<see cref="FaceNetwork.Units"/>), so a phase can run its
/// frozen prefix once (or read it from the cache) and train only the suffix. Running every unit in order, pooling and
/// the classifier is exactly the network's forward pass.
/// </summary>
public sealed class NetworkStack
{
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _units = [];

    public NetworkStack(FaceNetwork model)
    {
        Model = model;
        _units.AddRange(model.Units);
    }

    public FaceNetwork Model { get; }

    public int UnitCount => _units.Count;

    public IReadOnlyList<string> UnitNames => _units.Select(u => u.Name).ToList();

    /// <summary>How many leading units have no trainable parameter (all of them when only the head trains).</summary>
    public int FrozenPrefixLength()
    {
        for (var i = 0; i < _units.Count; i++)
            if (_units[i].Module.parameters().Any(p => p.requires_grad)) return i;
        return _units.Count;
    }

    /// <summary>The frozen prefix a phase would have if only the parameters named (model naming) were trainable.</summary>
    public int FrozenPrefixLength(IReadOnlyCollection<string> trainableNames)
    {
        for (var i = 0; i < _units.Count; i++)
        {
            var prefix = _units[i].Name + ".";
            if (trainableNames.Any(n => n.StartsWith(prefix, StringComparison.Ordinal))) return i;
        }
        return _units.Count;
    }

    /// <summary>
    /// Training mode for what trains, eval mode for what is frozen: the prefix entirely (so its output is a fixed
    /// function and may be cached), and every BatchNorm in the suffix whose parameters are frozen (frozen means its
    /// running statistics stay put too).
    /// </summary>
    public void SetTrainingMode(int frozenPrefix)
    {
        Model.train();
        for (var i = 0; i < frozenPrefix; i++) _units[i].Module.eval();
        foreach (var (_, module) in Model.named_modules())
            if (module is BatchNorm2d or BatchNorm1d && !module.parameters().Any(p => p.requires_grad)) module.eval();
    }

    /// <summary>[N,1,48,48] pixels -> the output of the first <paramref name="units"/> units (pooled when all).</summary>
    public Tensor Prefix(Tensor pixels, int units)
    {
        var x = Model.Preprocess(pixels);
        for (var i = 0; i < units; i++) x = _units[i].Module.call(x);
        return units == _units.Count ? Model.Pool(x) : x;
    }

    /// <summary>Continues from the output of the first <paramref name="from"/> units to the pooled features.</summary>
    public Tensor Continue(Tensor x, int from, int to)
    {
        if (from == _units.Count) return x;
        for (var i = from; i < to; i++) x = _units[i].Module.call(x);
        return to == _units.Count ? Model.Pool(x) : x;
    }

    /// <summary>From the output of the first <paramref name="from"/> units to the logits.</summary>
    public Tensor Logits(Tensor x, int from) => Model.Classifier.call(Continue(x, from, _units.Count));
}
