using System.Buffers;

namespace Fer.Imaging;

/// <summary>Decoded 8-bit gray pixels, row after row, in a rented buffer; dispose to return it.</summary>
internal sealed class GrayPixels(byte[] buffer, int width, int height) : IDisposable
{
    public int Width => width;

    public int Height => height;

    public ReadOnlySpan<byte> Row(int y) => buffer.AsSpan(y * width, width);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
