namespace Fer.Contracts;

/// <summary>What a model's single input expects: name, element type, shape (symbolic batch first), value range, layout.
/// Every family takes the same input, <see cref="FerCrops"/>: float32 [N, 1, 48, 48] in [0, 1].</summary>
public sealed record ModelInput(string Name, string ElementType, IReadOnlyList<string> Shape, double Min, double Max, string Layout)
{
    /// <summary>The side of a face crop in pixels: FER2013's native 48.</summary>
    public const int CropSize = 48;

    /// <summary>Grayscale.</summary>
    public const int Channels = 1;

    public static ModelInput FerCrops { get; } = new(
        OnnxNames.Input, "float32",
        [OnnxNames.BatchDimension, $"{Channels}", $"{CropSize}", $"{CropSize}"],
        Min: 0, Max: 1, Layout: "NCHW grayscale face crops");

    /// <summary>The per-image shape (everything after the batch dimension), as numbers.</summary>
    public long[] SampleShape() => Shape.Skip(1).Select(d => long.TryParse(d, out var v) ? v
        : throw new InvalidOperationException($"Input dimension '{d}' after the batch dimension is not a number.")).ToArray();
}
