namespace Fer.Training.Networks;

/// <summary>One stage of EfficientNetV2 (Table 4 of the paper, torchvision's MBConvConfig / FusedMBConvConfig).</summary>
public sealed record BlockConfig(bool Fused, int ExpandRatio, int Kernel, int Stride, int InputChannels, int OutChannels, int NumLayers)
{
    /// <summary>The channels after expansion, rounded like torchvision's <c>_make_divisible(c * ratio, 8)</c>.</summary>
    public int ExpandedChannels => MakeDivisible(InputChannels * ExpandRatio, 8);

    /// <summary>The block that repeats this stage after its first block: same output, stride 1.</summary>
    public BlockConfig Repeated() => this with { InputChannels = OutChannels, Stride = 1 };

    private static int MakeDivisible(double value, int divisor)
    {
        var rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
