namespace Fer.Imaging;

public enum ImageDecodeError
{
    /// <summary>The bytes are not an image in any format we decode.</summary>
    NotAnImage,

    /// <summary>The image header declares more pixels than allowed (decompression-bomb guard).</summary>
    TooManyPixels,

    /// <summary>The header was readable but the pixels were not (truncated or corrupt data).</summary>
    Corrupt,
}
