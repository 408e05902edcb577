namespace Fer.Training.Weights;

/// <summary>Sizes and on-disk names of <see cref="TensorDataType"/> in torch checkpoints and safetensors.</summary>
public static class TensorDataTypes
{
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Float64 or TensorDataType.Int64 => 8,
        TensorDataType.Float32 or TensorDataType.Int32 => 4,
        TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Int16 => 2,
        _ => 1,
    };

    public static bool IsFloatingPoint(this TensorDataType type) =>
        type is TensorDataType.Float32 or TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Float64;

    /// <summary>The storage classes torch.save names in a checkpoint's persistent ids (<c>torch.HalfStorage</c>, ...).</summary>
    public static TensorDataType? FromTorchStorage(string className) => className switch
    {
        "FloatStorage" => TensorDataType.Float32,
        "HalfStorage" => TensorDataType.Float16,
        "BFloat16Storage" => TensorDataType.BFloat16,
        "DoubleStorage" => TensorDataType.Float64,
        "LongStorage" => TensorDataType.Int64,
        "IntStorage" => TensorDataType.Int32,
        "ShortStorage" => TensorDataType.Int16,
        "CharStorage" => TensorDataType.Int8,
        "ByteStorage" => TensorDataType.UInt8,
        "BoolStorage" => TensorDataType.Bool,
        _ => null,
    };

    public static TensorDataType? FromSafetensors(string code) => code switch
    {
        "F32" => TensorDataType.Float32,
        "F16" => TensorDataType.Float16,
        "BF16" => TensorDataType.BFloat16,
        "F64" => TensorDataType.Float64,
        "I64" => TensorDataType.Int64,
        "I32" => TensorDataType.Int32,
        "I16" => TensorDataType.Int16,
        "I8" => TensorDataType.Int8,
        "U8" => TensorDataType.UInt8,
        "BOOL" => TensorDataType.Bool,
        _ => null,
    };

    public static string ToSafetensors(this TensorDataType type) => type switch
    {
        TensorDataType.Float32 => "F32",
        TensorDataType.Float16 => "F16",
        TensorDataType.BFloat16 => "BF16",
        TensorDataType.Float64 => "F64",
        TensorDataType.Int64 => "I64",
        TensorDataType.Int32 => "I32",
        TensorDataType.Int16 => "I16",
        TensorDataType.Int8 => "I8",
        TensorDataType.UInt8 => "U8",
        TensorDataType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
