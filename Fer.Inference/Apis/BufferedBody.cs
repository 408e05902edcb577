namespace Fer.Inference.Apis;

/// <summary>A request body read whole, and the share of the memory budget it holds until disposed.</summary>
internal sealed class BufferedBody(byte[] bytes, IDisposable reservation) : IDisposable
{
    public byte[] Bytes { get; } = bytes;

    public void Dispose() => reservation.Dispose();
}
