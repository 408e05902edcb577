using Fer.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Runs;

/// <summary>
/// FerNet's backbone seen as a flat list of units (the stem, every block of every stage, the last 1x1 convolution), so
/// a phase can run its frozen prefix once (or read it from the cache) and train only the suffix. Running every unit in
/// order and then pooling is exactly <see cref="FerNet.Features"/>.
/// </summary>
public sealed class NetworkStack
{
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _units = [];

    public NetworkStack(FerNet model)
    {
        Model = model;
        foreach (var (name, child) in model.Backbone.named_children())
        {
            if (child is Sequential stage)
                foreach (var (blockName, block) in stage.named_children())
                    _units.Add(($"features.{name}.{blockName}", (nn.Module<Tensor, Tensor>)block));
            else
                _units.Add(($"features.{name}", (nn.Module<Tensor, Tensor>)child));
        }
    }

    public FerNet Model { get; }

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

    /// <summary>[N,1,48,48] pixels -> the output of the first <paramref name="units"/> units (pooled [N,1280] when all).</summary>
    public Tensor Prefix(Tensor pixels, int units)
    {
        var x = Model.Preprocess(pixels);
        for (var i = 0; i < units; i++) x = _units[i].Module.call(x);
        return units == _units.Count ? Pool(x) : x;
    }

    /// <summary>Continues from the output of the first <paramref name="from"/> units to the pooled features [N,1280].</summary>
    public Tensor Continue(Tensor x, int from, int to)
    {
        if (from == _units.Count) return x;
        for (var i = from; i < to; i++) x = _units[i].Module.call(x);
        return to == _units.Count ? Pool(x) : x;
    }

    /// <summary>From the output of the first <paramref name="from"/> units to the logits.</summary>
    public Tensor Logits(Tensor x, int from) => Model.Classifier.call(Continue(x, from, _units.Count));

    private static Tensor Pool(Tensor x) => nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
}
