using System.Globalization;
using Fer.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Networks;

/// <summary>
/// A plain convolutional network for FER2013's native 48x48 grey crops, made to train and serve fast on a CPU: stages of
/// (3x3 convolution, BatchNorm, ReLU) x depth followed by 2x2 max pooling (48 -> 24 -> 12 -> 6 -> 3), then a head that
/// keeps the 3x3 layout (where a mouth or an eye is matters for an expression): flatten -> Dropout -> Linear -> BatchNorm1d
/// -> ReLU -> Dropout -> Linear -> logits. Ordinary dense convolutions only: libtorch's and ONNX Runtime's fastest CPU path.
/// Names follow a PyTorch <c>nn.Sequential</c> of the same layers (<c>features.1.0.0.weight</c>, <c>classifier.2.weight</c>),
/// which is what Fer.Benchmarks/TrainingReference.py builds.
/// </summary>
public sealed class Cnn48 : FaceNetwork
{
    public const int Size = 48;
    public static IReadOnlyList<int> DefaultWidths { get; } = [16, 32, 64, 128];
    public static IReadOnlyList<int> DefaultDepths { get; } = [1, 2, 2, 2];
    public const int DefaultHidden = 256;
    public const double DefaultDropout = 0.2;

    private readonly Sequential features;
    private readonly Sequential classifier;
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _units = [];

    public Cnn48(IReadOnlyList<int>? widths = null, IReadOnlyList<int>? depths = null, int hidden = DefaultHidden,
        double dropout = DefaultDropout, int numClasses = 7)
        : base(nameof(Cnn48))
    {
        Widths = widths ?? DefaultWidths;
        Depths = depths ?? DefaultDepths;
        if (Widths.Count == 0 || Widths.Count != Depths.Count)
            throw new ArgumentException($"need one depth per stage: {Widths.Count} widths, {Depths.Count} depths", nameof(depths));
        if (Widths.Any(w => w < 1) || Depths.Any(d => d < 1))
            throw new ArgumentOutOfRangeException(nameof(widths), "every stage needs a width and a depth of at least 1");
        if (Size >> Widths.Count < 1)
            throw new ArgumentOutOfRangeException(nameof(widths), Widths.Count, $"at most {(int)Math.Log2(Size)} stages halve a {Size} px input");
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        NumClasses = numClasses;
        Hidden = hidden;
        Dropout = dropout;

        var stages = new List<(string, nn.Module<Tensor, Tensor>)>();
        var channels = (long)InputChannels;
        for (var s = 0; s < Widths.Count; s++)
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var d = 0; d < Depths[s]; d++)
            {
                layers.Add((Name(d), nn.Sequential(
                    ("0", nn.Conv2d(channels, Widths[s], 3, padding: 1, bias: false)),
                    ("1", nn.BatchNorm2d(Widths[s])),
                    ("2", nn.ReLU(inplace: true)))));
                channels = Widths[s];
            }
            layers.Add((Name(Depths[s]), nn.MaxPool2d(2)));
            var stage = nn.Sequential(layers.ToArray());
            stages.Add((Name(s), stage));
            _units.Add(($"features.{Name(s)}", stage));
        }
        features = nn.Sequential(stages.ToArray());
        var side = Size >> Widths.Count;
        classifier = nn.Sequential(
            ("0", nn.Flatten()),
            ("1", nn.Dropout(dropout)),
            ("2", nn.Linear(channels * side * side, hidden)),
            ("3", nn.BatchNorm1d(hidden)),
            ("4", nn.ReLU(inplace: true)),
            ("5", nn.Dropout(dropout)),
            ("6", nn.Linear(hidden, numClasses)));
        RegisterComponents();
        Initialise();
    }

    public IReadOnlyList<int> Widths { get; }

    public IReadOnlyList<int> Depths { get; }

    public int Hidden { get; }

    public double Dropout { get; }

    public override ModelFamily Family => ModelFamily.Cnn48;

    public override int ImageSize => Size;

    public override int NumClasses { get; }

    public override IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Units => _units;

    public override Sequential Classifier => classifier;

    public override Tensor Preprocess(Tensor input)
    {
        RequireInputBatch(input);
        if (input.shape[2] != Size || input.shape[3] != Size)
            throw new ArgumentException($"Cnn48 takes {Size}x{Size} crops, got {input.shape[2]}x{input.shape[3]}", nameof(input));
        return input.alias();
    }

    public override Tensor Pool(Tensor lastUnitOutput) => lastUnitOutput.alias();

    /// <summary>He initialisation for ReLU networks (fan-out, as torchvision's VGG and ResNet), unit BatchNorm.</summary>
    private void Initialise()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d norm:
                    nn.init.ones_(norm.weight);
                    nn.init.zeros_(norm.bias);
                    break;
            }
        }
    }

    private static string Name(int index) => index.ToString(CultureInfo.InvariantCulture);
}
