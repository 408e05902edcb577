namespace Fer.Imaging;

/// <summary>An image's stored size in pixels, as its header declares it.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}
