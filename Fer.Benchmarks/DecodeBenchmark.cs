using System.Diagnostics;
using System.Globalization;
using Fer.Imaging;

namespace Fer.Benchmarks;

/// <summary>Decoding FER2013's test JPEGs into crops on one thread: the SkiaSharp path (the reference) against what
/// <see cref="FaceImageDecoder.Decode"/> does here (TurboJPEG where libturbojpeg0 is installed), in alternating rounds,
/// after checking that both give the same crops bit for bit.</summary>
public static class DecodeBenchmark
{
    public const string Usage = "decode [--rounds 10] [--data DIR]";

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var (rounds, data) = (10, (string?)null);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value; usage: {Usage}");
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--data": data = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
        }
        if (rounds < 1) throw new ArgumentException("--rounds needs a positive number");
        var images = Directory.GetFiles(Fer2013TestFolder.Locate(data), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToArray();
        var differing = images.Count(bytes => !FaceImageDecoder.DecodeWithSkia(bytes).Pixels.AsSpan().SequenceEqual(FaceImageDecoder.Decode(bytes).Pixels));
        output.WriteLine($"{images.Length} FER2013 test JPEGs; crops that differ between the two paths: {differing}");
        output.WriteLine($"JPEG decoding here: {FaceImageDecoder.JpegDecoder}");

        double skia = 0, current = 0;
        for (var round = 0; round < rounds; round++)
        {
            skia += Time(images, bytes => FaceImageDecoder.DecodeWithSkia(bytes));
            current += Time(images, bytes => FaceImageDecoder.Decode(bytes));
        }
        output.WriteLine($"SkiaSharp path: {skia / rounds:F1} us an image; Decode: {current / rounds:F1} us an image; ratio {skia / current:F2}x ({rounds} alternating rounds)");
        return differing == 0 ? 0 : 1;
    }

    /// <summary>Microseconds an image for one pass over <paramref name="images"/>.</summary>
    private static double Time(byte[][] images, Func<byte[], FaceImage> decode)
    {
        var timer = Stopwatch.StartNew();
        foreach (var bytes in images) decode(bytes);
        return timer.Elapsed.TotalMicroseconds / images.Length;
    }
}
