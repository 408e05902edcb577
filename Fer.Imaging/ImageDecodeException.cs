namespace Fer.Imaging;

/// <summary>An image that cannot become a face crop, with a message fit to show the person who sent it.</summary>
public sealed class ImageDecodeException(ImageDecodeError error, string message) : Exception(message)
{
    public ImageDecodeError Error { get; } = error;
}
