namespace Fer.Training.Onnx.Proto;

/// <summary>A tensor dimension: a fixed size, or a named symbolic one (e.g. the batch dimension "N").</summary>
public sealed record OnnxDimension(long? Value, string? Param)
{
    public static OnnxDimension Fixed(long value) => new(value, null);

    public static OnnxDimension Symbolic(string name) => new(null, name);

    public override string ToString() => Param ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
