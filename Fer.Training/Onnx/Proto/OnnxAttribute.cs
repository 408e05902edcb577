namespace Fer.Training.Onnx.Proto;

/// <summary>A node attribute; exactly the member that matches <see cref="Type"/> is meaningful.</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float Float = 0, long Int = 0, string? String = null, IReadOnlyList<long>? Ints = null)
{
    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeType.Float, Float: value);

    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeType.Int, Int: value);

    public static OnnxAttribute Of(string name, string value) => new(name, OnnxAttributeType.String, String: value);

    public static OnnxAttribute Of(string name, params long[] values) => new(name, OnnxAttributeType.Ints, Ints: values);
}
