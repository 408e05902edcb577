using System.Diagnostics;
using System.Globalization;
using Fer.Imaging;

namespace Fer.Benchmarks;

/// <summary>Decoding FER2013's test JPEGs into crops on one thread: the SkiaSharp path (the reference) against what
/// <see cref="FaceImageDecoder.Decode"/> does here (TurboJPEG where libturbojpeg0 is installed), in alternating rounds,
/// after checking that both give the same crops bit for bit; then reading their sizes from their headers the same two
/// ways (<see cref="FaceImageDecoder.ReadSize"/>, which a replica does first to check a request's pixel limits).</summary>
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
        var sizesDiffering = images.Count(bytes => FaceImageDecoder.ReadSizeWithSkia(bytes) != FaceImageDecoder.ReadSize(bytes));
        output.WriteLine($"{images.Length} FER2013 test JPEGs; crops that differ between the two paths: {differing}; header sizes that differ: {sizesDiffering}");
        output.WriteLine($"JPEG decoding here: {FaceImageDecoder.JpegDecoder}");

        double skia = 0, current = 0;
        for (var round = 0; round < rounds; round++)
        {
            skia += Time(images, bytes => FaceImageDecoder.DecodeWithSkia(bytes));
            current += Time(images, bytes => FaceImageDecoder.Decode(bytes));
        }
        output.WriteLine($"SkiaSharp path: {skia / rounds:F1} us an image; Decode: {current / rounds:F1} us an image; ratio {skia / current:F2}x ({rounds} alternating rounds)");

        double skiaHeader = 0, currentHeader = 0;
        for (var round = 0; round < rounds; round++)
        {
            skiaHeader += Time(images, bytes => FaceImageDecoder.ReadSizeWithSkia(bytes));
            currentHeader += Time(images, bytes => FaceImageDecoder.ReadSize(bytes));
        }
        output.WriteLine($"Size from the header, SkiaSharp codec: {skiaHeader / rounds:F2} us an image; ReadSize: {currentHeader / rounds:F2} us an image; ratio {skiaHeader / currentHeader:F2}x");
        return differing == 0 && sizesDiffering == 0 ? 0 : 1;
    }

    /// <summary>Microseconds an image for one pass over <paramref name="images"/>.</summary>
    private static double Time<T>(byte[][] images, Func<byte[], T> work)
    {
        var timer = Stopwatch.StartNew();
        foreach (var bytes in images) work(bytes);
        return timer.Elapsed.TotalMicroseconds / images.Length;
    }
}
