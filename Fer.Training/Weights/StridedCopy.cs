namespace Fer.Training.Weights;

/// <summary>Copies a strided view of a storage (offset, shape, strides in elements) into a contiguous row-major array.</summary>
internal static class StridedCopy
{
    /// <summary>The number of storage elements the view reaches (0 for an empty view), to check against the storage size.</summary>
    public static long Extent(long offset, long[] shape, long[] stride)
    {
        if (shape.Any(d => d == 0)) return 0;
        var last = offset;
        for (var d = 0; d < shape.Length; d++)
        {
            if (stride[d] < 0) throw new ArgumentException("negative strides are not supported");
            last += (shape[d] - 1) * stride[d];
        }
        return last + 1;
    }

    public static byte[] Gather(ReadOnlySpan<byte> storage, int elementSize, long offset, long[] shape, long[] stride)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var output = new byte[count * elementSize];
        if (count == 0) return output;
        if (IsContiguous(shape, stride))
        {
            storage.Slice((int)(offset * elementSize), output.Length).CopyTo(output);
            return output;
        }
        var index = new long[shape.Length];
        var source = offset;
        for (long i = 0; i < count; i++)
        {
            storage.Slice((int)(source * elementSize), elementSize).CopyTo(output.AsSpan((int)(i * elementSize)));
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d]++;
                source += stride[d];
                if (index[d] < shape[d]) break;
                source -= index[d] * stride[d];
                index[d] = 0;
            }
        }
        return output;
    }

    private static bool IsContiguous(long[] shape, long[] stride)
    {
        var expected = 1L;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }
}
