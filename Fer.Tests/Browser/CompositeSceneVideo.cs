using Fer.Tests.Faces;
using SkiaSharp;

namespace Fer.Tests.Browser;

/// <summary>A fake-camera video of a still composite scene (<see cref="CompositePhoto"/>): 640x480, 10 fps, two FER2013
/// faces at known squares on a gradient, in grey (the Y4M carries luma only).</summary>
internal static class CompositeSceneVideo
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>Where the faces are, largest first.</summary>
    public static readonly SKRectI[] Squares = [new(60, 140, 260, 340), new(400, 110, 570, 280)];

    public static void Write(string path)
    {
        using var scene = CompositePhoto.Draw(Width, Height, Squares);
        var luma = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            var colour = scene.GetPixel(x, y);
            luma[y * Width + x] = (byte)Math.Clamp(MathF.Round(0.299f * colour.Red + 0.587f * colour.Green + 0.114f * colour.Blue), 0, 255);
        }
        Y4mVideo.Write(path, Enumerable.Repeat(luma, 10).ToList(), Width, Height, 10);
    }
}
