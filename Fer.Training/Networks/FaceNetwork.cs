using Fer.Contracts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// What the training loop, the evaluator and the exporter need of a network family: the input contract's batch
/// [N,1,48,48] in [0,1] -> <see cref="Preprocess"/> -> the backbone's <see cref="Units"/> in order -> <see cref="Pool"/> ->
/// <see cref="Classifier"/> -> logits. A frozen prefix of units can then run once (or come from the feature cache).
/// </summary>
public abstract class FaceNetwork(string name) : nn.Module<Tensor, Tensor>(name)
{
    public const int InputChannels = 1;

    public abstract ModelFamily Family { get; }

    /// <summary>The side of the square the backbone sees (FerNet resizes to it; a 48 px family takes the crop as it is).</summary>
    public abstract int ImageSize { get; }

    public abstract int NumClasses { get; }

    /// <summary>The backbone as a flat list of units, named as in <c>named_parameters()</c> (e.g. <c>features.3.1</c>).</summary>
    public abstract IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Units { get; }

    public abstract Sequential Classifier { get; }

    /// <summary>[N,1,H,W] in [0,1] -> what the first unit takes. No parameters.</summary>
    public abstract Tensor Preprocess(Tensor input);

    /// <summary>The last unit's output -> what the classifier takes.</summary>
    public abstract Tensor Pool(Tensor lastUnitOutput);

    /// <summary>
    /// Test-time augmentation, in eval mode only: the mean of the logits for each image and its mirror image (an
    /// expression does not change under a horizontal flip). The exported graph does the same (see OnnxExporter).
    /// </summary>
    public bool TestTimeFlip { get; set; }

    public override Tensor forward(Tensor input)
    {
        if (training || !TestTimeFlip) return Logits(input);
        var count = input.shape[0];
        return Logits(cat([input, input.flip(3)], 0)).view(2, count, -1).mean([0]);
    }

    /// <summary>One pass of the network, without test-time augmentation.</summary>
    public Tensor Logits(Tensor input)
    {
        var x = Preprocess(input);
        foreach (var (_, unit) in Units) x = unit.call(x);
        return Classifier.call(Pool(x));
    }

    protected static void RequireInputBatch(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InputChannels)
            throw new ArgumentException($"expected a float32 batch [N,1,H,W], got [{string.Join(",", input.shape)}]", nameof(input));
    }
}
