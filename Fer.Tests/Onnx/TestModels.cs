using Fer.Contracts;
using Fer.Training.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Tests.Onnx;

/// <summary>Small models for exporter tests, with BatchNorm statistics far from identity so that folding is exercised.</summary>
public static class TestModels
{
    /// <summary>[N,1,48,48] -> conv/BN/SiLU x2 (one depthwise) -> pool -> the seed head's shape of layers, scaled down -> 7.</summary>
    public static Sequential SmallClassifier(int seed = 7)
    {
        torch.manual_seed(seed);
        var model = nn.Sequential(
            ("0", nn.Conv2d(1, 8, 3, stride: 2, padding: 1, bias: false)),
            ("1", nn.BatchNorm2d(8, eps: 1e-3)),
            ("2", nn.SiLU()),
            ("3", nn.Conv2d(8, 8, 3, stride: 1, padding: 1, groups: 8, bias: false)),
            ("4", nn.BatchNorm2d(8, eps: 1e-3)),
            ("5", nn.SiLU()),
            ("6", nn.AdaptiveAvgPool2d(1)),
            ("7", nn.Flatten()),
            ("8", nn.Dropout(0.3)),
            ("9", nn.Linear(8, 16)),
            ("10", nn.ReLU()),
            ("11", nn.BatchNorm1d(16)),
            ("12", nn.Dropout(0.3)),
            ("13", nn.Linear(16, EmotionLabels.Names.Count)));
        RandomiseNorms(model);
        model.eval();
        return model;
    }

    /// <summary>Moves every BatchNorm's running statistics and affine parameters away from identity by about <paramref name="scale"/>.</summary>
    public static void RandomiseNorms(nn.Module model, double scale = 1.0)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            if (module is not NormBase norm) continue;
            var channels = norm.num_features;
            norm.running_mean!.copy_(randn(channels) * (0.5 * scale));
            norm.running_var!.copy_(exp(randn(channels) * scale));
            norm.weight!.copy_(randn(channels) * (0.5 * scale) + 1);
            norm.bias!.copy_(randn(channels) * (0.3 * scale));
        }
    }

    public static OnnxModelInfo Info(int imageSize = 48) => OnnxModelInfo.ForFerNet(
        "test-1", imageSize,
        new Dictionary<string, double> { ["accuracy"] = 0.71, ["macro_f1"] = 0.69 },
        "sha256:0123abcd", new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero));
}
