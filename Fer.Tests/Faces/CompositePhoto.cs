using Fer.Benchmarks;
using Fer.Tests.Infrastructure;
using SkiaSharp;

namespace Fer.Tests.Faces;

/// <summary>A colour photo made in the test: FER2013 faces drawn, enlarged, at known squares onto a smooth coloured
/// background, so where each face is follows from how the photo was drawn.</summary>
internal static class CompositePhoto
{
    /// <summary>FER2013 test faces that the shipped detector finds when enlarged (checked by the tests that use them).</summary>
    public static readonly string[] Faces =
    [
        Path.Combine(RepositoryPaths.Fer2013, "test", "happy", "PublicTest_10130075.jpg"),
        Path.Combine(RepositoryPaths.Fer2013, "test", "happy", "PublicTest_10245799.jpg"),
        Path.Combine(RepositoryPaths.Fer2013, "test", "happy", "PublicTest_11060787.jpg"),
        Path.Combine(RepositoryPaths.Fer2013, "test", "happy", "PublicTest_11394394.jpg"),
    ];

    public static SKBitmap Draw(int width, int height, params SKRectI[] squares)
        => PhotoPainter.Paint(width, height, new SKColor(70, 110, 150), new SKColor(190, 170, 120),
            squares.Select((square, i) => (File.ReadAllBytes(Faces[i % Faces.Length]), square)));

    public static byte[] Jpeg(int width, int height, params SKRectI[] squares)
    {
        using var bitmap = Draw(width, height, squares);
        return Jpeg(bitmap);
    }

    public static byte[] Jpeg(SKBitmap bitmap) => PhotoPainter.Jpeg(bitmap, 92);
}
