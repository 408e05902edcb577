namespace Fer.Imaging;

/// <summary>Which part of an upright image becomes the model's input when no face detector frames it.</summary>
internal enum CropRegion
{
    /// <summary>The largest centred square (<c>faces=centre</c>).</summary>
    CentreSquare,

    /// <summary>The whole image, stretched to a square (<c>faces=whole</c>).</summary>
    Whole,
}

internal static class CropRegions
{
    /// <summary>The region's left, top, width and height in an upright image of the given size.</summary>
    public static (int Left, int Top, int Width, int Height) Locate(this CropRegion region, int width, int height)
    {
        if (region == CropRegion.Whole) return (0, 0, width, height);
        var side = Math.Min(width, height);
        return ((width - side) / 2, (height - side) / 2, side, side);
    }
}
