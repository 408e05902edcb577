using System.Diagnostics;
using System.Globalization;
using Fer.Imaging;
using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>Decoding FER2013's test JPEGs into crops on one thread: the SkiaSharp path (the reference) against what
/// <see cref="FaceImageDecoder.Decode"/> does here (TurboJPEG where libturbojpeg0 is installed), in alternating rounds,
/// after checking that both give the same crops bit for bit.</summary>
public static class DecodeBenchmark
{
    public const string Usage = "decode [--rounds 10] [--data DIR]";

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        int rounds = 10;
        string? data = null;
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            if (args[i] == "--rounds" && int.TryParse(value, CultureInfo.InvariantCulture, out rounds) && rounds > 0) continue;
            if (args[i] == "--data") data = value;
            else throw new ArgumentException($"{args[i]} {value}: usage: {Usage}");
        }
        data ??= ProbeBatch.LocateFer2013(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException("no ../shared/data/fer2013 beside the repository; pass --data DIR");
        var images = Directory.GetFiles(Path.Combine(data, "test"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
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
