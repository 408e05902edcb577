using System.Buffers;

namespace Fer.Imaging;

/// <summary>Decoded 8-bit gray pixels, <see cref="Width"/> bytes a row, at the start of a rented buffer (which may be
/// longer); dispose to return it.</summary>
internal sealed class GrayPixels(byte[] buffer, int width, int height) : IDisposable
{
    public byte[] Buffer => buffer;

    public int Width => width;

    public int Height => height;

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
