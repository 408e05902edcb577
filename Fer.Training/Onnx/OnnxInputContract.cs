namespace Fer.Training.Onnx;

/// <summary>What the model's single input expects: name, element type, shape (symbolic batch first), value range, layout.</summary>
public sealed record OnnxInputContract(string Name, string ElementType, IReadOnlyList<string> Shape, double Min, double Max, string Layout)
{
    public static OnnxInputContract FerCrops { get; } = new(
        OnnxContract.InputName, "float32",
        [OnnxContract.BatchDimension, "1", $"{OnnxContract.CropSize}", $"{OnnxContract.CropSize}"],
        Min: 0, Max: 1, Layout: "NCHW grayscale face crops");

    /// <summary>The per-image shape (everything after the batch dimension), as numbers.</summary>
    public long[] SampleShape() => Shape.Skip(1).Select(d => long.TryParse(d, out var v) ? v
        : throw new InvalidOperationException($"Input dimension '{d}' after the batch dimension is not a number.")).ToArray();
}
