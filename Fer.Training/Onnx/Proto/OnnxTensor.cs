using System.Runtime.InteropServices;

namespace Fer.Training.Onnx.Proto;

/// <summary>An initializer: a named constant tensor stored little-endian in raw_data.</summary>
public sealed record OnnxTensor(string Name, OnnxElementType ElementType, IReadOnlyList<long> Dims, byte[] RawData)
{
    public static OnnxTensor FromFloats(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        CheckCount(name, dims, values.Length);
        return new OnnxTensor(name, OnnxElementType.Float, dims, ToLittleEndian(values));
    }

    public static OnnxTensor FromInt64s(string name, IReadOnlyList<long> dims, ReadOnlySpan<long> values)
    {
        CheckCount(name, dims, values.Length);
        return new OnnxTensor(name, OnnxElementType.Int64, dims, ToLittleEndian(values));
    }

    public long ElementCount => Dims.Aggregate(1L, (product, dim) => product * dim);

    private static void CheckCount(string name, IReadOnlyList<long> dims, int count)
    {
        var expected = dims.Aggregate(1L, (product, dim) => product * dim);
        if (expected != count)
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(",", dims)}] ({expected} elements) but {count} values.");
    }

    private static byte[] ToLittleEndian<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer assumes a little-endian host.");
        return MemoryMarshal.AsBytes(values).ToArray();
    }
}
