using System.Buffers.Binary;
using static TorchSharp.torch;

namespace Fer.Training.Weights;

/// <summary>One tensor of a weight file: its element type, shape and contiguous little-endian bytes (row-major).</summary>
public sealed class StoredTensor
{
    public StoredTensor(TensorDataType dataType, long[] shape, byte[] data)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (shape.Any(d => d < 0) || count * dataType.ElementSize() != data.Length)
            throw new ArgumentException($"{data.Length} bytes do not hold a {dataType} tensor of shape {Format(shape)}", nameof(data));
        DataType = dataType;
        Shape = shape;
        Data = data;
    }

    public TensorDataType DataType { get; }

    public long[] Shape { get; }

    public byte[] Data { get; }

    public long ElementCount => Data.Length / DataType.ElementSize();

    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    public static StoredTensor FromSingles(float[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new StoredTensor(TensorDataType.Float32, shape, bytes);
    }

    /// <summary>The values widened to float32 (float16 and bfloat16 exactly, float64 rounded).</summary>
    public float[] ToSingles()
    {
        var span = Data.AsSpan();
        var values = new float[ElementCount];
        switch (DataType)
        {
            case TensorDataType.Float32:
                Buffer.BlockCopy(Data, 0, values, 0, Data.Length);
                break;
            case TensorDataType.Float16:
                for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span[(2 * i)..]);
                break;
            case TensorDataType.BFloat16:
                for (var i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]) << 16);
                break;
            case TensorDataType.Float64:
                for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(span[(8 * i)..]);
                break;
            default:
                var integers = ToInt64s();
                for (var i = 0; i < values.Length; i++) values[i] = integers[i];
                break;
        }
        return values;
    }

    /// <summary>The values as int64 (integer and bool types; floating types are refused).</summary>
    public long[] ToInt64s()
    {
        var span = Data.AsSpan();
        var values = new long[ElementCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = DataType switch
            {
                TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(span[(8 * i)..]),
                TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(span[(4 * i)..]),
                TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(span[(2 * i)..]),
                TensorDataType.Int8 => (sbyte)span[i],
                TensorDataType.UInt8 or TensorDataType.Bool => span[i],
                _ => throw new InvalidOperationException($"a {DataType} tensor has no integer values"),
            };
        }
        return values;
    }

    /// <summary>A CPU torch tensor: float32 for floating types, int64 for integer types.</summary>
    public Tensor ToTorch() => DataType.IsFloatingPoint()
        ? tensor(ToSingles(), Shape, dtype: ScalarType.Float32)
        : tensor(ToInt64s(), Shape, dtype: ScalarType.Int64);
}
