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
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(70, 110, 150), new SKColor(190, 170, 120)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }
        for (var i = 0; i < squares.Length; i++)
        {
            using var face = SKBitmap.Decode(Faces[i % Faces.Length]);
            using var image = SKImage.FromBitmap(face);
            canvas.DrawImage(image, squares[i], new SKSamplingOptions(SKCubicResampler.CatmullRom));
        }
        return bitmap;
    }

    public static byte[] Jpeg(int width, int height, params SKRectI[] squares)
    {
        using var bitmap = Draw(width, height, squares);
        return Jpeg(bitmap);
    }

    public static byte[] Jpeg(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }
}
