using SkiaSharp;

namespace Fer.Benchmarks;

/// <summary>The photo benchmark's request bodies: 640x480 colour JPEGs (quality 90), FER2013 test faces drawn enlarged
/// onto a smooth gradient, with one face (150-210 px) or four (one a quadrant, 100-140 px), at seeded places.</summary>
public static class BenchmarkPhotos
{
    public const int Width = 640;
    public const int Height = 480;

    public static List<byte[]> Make(IReadOnlyList<byte[]> faces, int facesPerPhoto, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => Jpeg(Squares(random, facesPerPhoto), faces, i * facesPerPhoto, random)).ToList();
    }

    private static List<SKRectI> Squares(Random random, int faces)
    {
        if (faces == 1)
        {
            var side = random.Next(150, 211);
            return [SKRectI.Create(random.Next(0, Width - side), random.Next(0, Height - side), side, side)];
        }
        var squares = new List<SKRectI>();
        for (var q = 0; q < faces; q++)
        {
            var side = random.Next(100, 141);
            int cellX = q % 2 * Width / 2, cellY = q / 2 % 2 * Height / 2;
            squares.Add(SKRectI.Create(cellX + random.Next(0, Width / 2 - side), cellY + random.Next(0, Height / 2 - side), side, side));
        }
        return squares;
    }

    private static byte[] Jpeg(List<SKRectI> squares, IReadOnlyList<byte[]> faces, int first, Random random)
    {
        var from = new SKColor((byte)random.Next(40, 120), (byte)random.Next(60, 140), (byte)random.Next(80, 180));
        var to = new SKColor((byte)random.Next(140, 230), (byte)random.Next(120, 210), (byte)random.Next(90, 170));
        using var bitmap = PhotoPainter.Paint(Width, Height, from, to, squares.Select((square, i) => (faces[(first + i) % faces.Count], square)));
        return PhotoPainter.Jpeg(bitmap, 90);
    }
}
