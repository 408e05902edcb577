using SkiaSharp;

namespace Fer.Benchmarks;

/// <summary>Colour photos made from FER2013 faces: a linear gradient from corner to corner, each face (encoded bytes)
/// drawn enlarged into its square with Catmull-Rom resampling. The photo benchmark's bodies and the tests' photos.</summary>
public static class PhotoPainter
{
    public static SKBitmap Paint(int width, int height, SKColor from, SKColor to, IEnumerable<(byte[] Face, SKRectI Square)> faces)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [from, to], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }
        foreach (var (face, square) in faces)
        {
            using var image = SKImage.FromEncodedData(face);
            canvas.DrawImage(image, square, new SKSamplingOptions(SKCubicResampler.CatmullRom));
        }
        return bitmap;
    }

    public static byte[] Jpeg(SKBitmap bitmap, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
