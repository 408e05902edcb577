using Fer.Imaging;
using Fer.Tests.Infrastructure;
using SkiaSharp;

namespace Fer.Tests.Imaging;

/// <summary>The system's TurboJPEG decodes small grayscale JPEGs; every crop must be the one SkiaSharp's path gives (the
/// shipped model was trained on those), and everything else must still go through SkiaSharp.</summary>
public sealed class TurboJpegTests
{
    [Fact]
    public void TheSystemLibrary_IsFound()
    {
        // .ci/run installs Debian's libturbojpeg0; without it every image decodes through SkiaSharp (and these tests
        // would only compare SkiaSharp with itself).
        Assert.True(TurboJpeg.IsAvailable, "libturbojpeg.so.0 did not load: apt-get install libturbojpeg0");
        Assert.StartsWith("libjpeg-turbo", FaceImageDecoder.JpegDecoder, StringComparison.Ordinal);
    }

    [Fact]
    public void Fer2013Images_GiveTheCropsOfTheSkiaSharpPath_BitForBit()
    {
        var decoded = 0;
        foreach (var folder in Directory.GetDirectories(Path.Combine(RepositoryPaths.Fer2013, "test")).Order(StringComparer.Ordinal))
        foreach (var path in Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(60))
        {
            var bytes = File.ReadAllBytes(path);
            using (var gray = TurboJpeg.TryDecodeSmallGray(bytes, FaceImageDecoder.DefaultMaxPixels))
                Assert.True(gray is not null, $"{path} did not take the TurboJPEG path");
            AssertSameCrop(FaceImageDecoder.DecodeWithSkia(bytes), FaceImageDecoder.Decode(bytes), path);
            decoded++;
        }
        Assert.True(decoded > 6 * 60, $"only {decoded} images"); // 60 of each class (disgust has 56 here)
    }

    [Theory]
    [InlineData(48, 48, 75)]
    [InlineData(37, 53, 90)] // sizes that are not whole 8x8 blocks
    [InlineData(256, 200, 100)] // the largest size this path takes, cropped and downscaled
    [InlineData(100, 61, 50)]
    public void GrayJpegs_GiveTheCropsOfTheSkiaSharpPath_BitForBit(int width, int height, int quality)
    {
        var bytes = GrayJpeg(width, height, quality);
        using (var gray = TurboJpeg.TryDecodeSmallGray(bytes, FaceImageDecoder.DefaultMaxPixels))
            Assert.True(gray is not null && (gray.Width, gray.Height) == (width, height));

        AssertSameCrop(FaceImageDecoder.DecodeWithSkia(bytes), FaceImageDecoder.Decode(bytes), $"{width}x{height}");
    }

    [Fact]
    public void ColourLargeRotatedAndBrokenJpegs_AreLeftToSkiaSharp()
    {
        var colour = TestImages.Encode(48, 48, (x, y) => new SKColor((byte)(x * 5), (byte)(y * 5), 90), SKEncodedImageFormat.Jpeg);
        var large = GrayJpeg(257, 256, 90);
        var rotated = TestImages.WithExifOrientation(GrayJpeg(60, 40, 90), 6);
        var truncated = GrayJpeg(48, 48, 90)[..300];
        var png = TestImages.FlatPng(48, 48);

        foreach (var bytes in new[] { colour, large, rotated, truncated, png })
            Assert.Null(TurboJpeg.TryDecodeSmallGray(bytes, FaceImageDecoder.DefaultMaxPixels));
        Assert.Null(TurboJpeg.TryDecodeSmallGray(GrayJpeg(48, 48, 90), maxPixels: 48 * 47));

        Assert.Equal((40, 60), (FaceImageDecoder.Decode(rotated).SourceWidth, FaceImageDecoder.Decode(rotated).SourceHeight));
        Assert.Equal(ImageDecodeError.Corrupt, Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.Decode(truncated)).Error);
        Assert.Equal(ImageDecodeError.TooManyPixels,
            Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.Decode(GrayJpeg(48, 48, 90), maxPixels: 48 * 47)).Error);
    }

    [Fact]
    public void Sizes_AreReadFromJpegHeaders_AsSkiaSharpReadsThem()
    {
        var jpegs = new[]
        {
            GrayJpeg(48, 48, 90),
            TestImages.Encode(64, 40, (x, y) => new SKColor((byte)x, (byte)y, 90), SKEncodedImageFormat.Jpeg),
            GrayJpeg(300, 257, 90),
            TestImages.WithExifOrientation(GrayJpeg(60, 40, 90), 6), // the stored size, as the pixel limits count it
            WithDeclaredSize(GrayJpeg(48, 48, 90), 30_000, 20_000), // a bomb's header: nothing past it is read
        };
        foreach (var bytes in jpegs)
        {
            Assert.NotNull(TurboJpeg.TryReadSize(bytes));
            Assert.Equal(FaceImageDecoder.ReadSizeWithSkia(bytes), FaceImageDecoder.ReadSize(bytes));
        }
        Assert.Equal(new ImageSize(30_000, 20_000), FaceImageDecoder.ReadSize(jpegs[^1]));

        byte[] noFrame = [0xFF, 0xD8, 0xFF, 0xD9];
        Assert.Null(TurboJpeg.TryReadSize(noFrame));
        Assert.Null(TurboJpeg.TryReadSize(TestImages.FlatPng(48, 48)));
        Assert.Equal(new ImageSize(48, 48), FaceImageDecoder.ReadSize(TestImages.FlatPng(48, 48)));
        Assert.Equal(ImageDecodeError.NotAnImage, Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.ReadSize(noFrame)).Error);
    }

    [Fact]
    public void ManyThreads_DecodeAtOnce_EachWithItsOwnDecompressor()
    {
        var images = Enumerable.Range(0, 8).Select(i => GrayJpeg(40 + i * 7, 48, 85)).ToArray();
        var expected = images.Select(bytes => FaceImageDecoder.DecodeWithSkia(bytes).Pixels).ToArray();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Assert.Equal(expected[i % images.Length], FaceImageDecoder.Decode(images[i % images.Length]).Pixels));
    }

    /// <summary>A one-channel (grayscale) JPEG of a gradient with some texture.</summary>
    private static byte[] GrayJpeg(int width, int height, int quality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            pixels[y * bitmap.RowBytes + x] = (byte)((x * 255 / width + (x * y % 23) * 3) & 0xFF);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        var bytes = data.ToArray();
        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        Assert.Equal(SKColorType.Gray8, codec.Info.ColorType); // one channel, as FER2013's JPEGs
        return bytes;
    }

    /// <summary>The JPEG with its baseline frame header (SOF0) declaring another size.</summary>
    private static byte[] WithDeclaredSize(byte[] jpeg, int width, int height)
    {
        var bytes = (byte[])jpeg.Clone();
        var frame = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(frame > 0, "no baseline frame header");
        bytes[frame + 5] = (byte)(height >> 8);
        bytes[frame + 6] = (byte)height;
        bytes[frame + 7] = (byte)(width >> 8);
        bytes[frame + 8] = (byte)width;
        return bytes;
    }

    private static void AssertSameCrop(FaceImage expected, FaceImage actual, string what)
    {
        Assert.Equal((expected.SourceWidth, expected.SourceHeight), (actual.SourceWidth, actual.SourceHeight));
        for (var i = 0; i < FaceImage.PixelCount; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected.Pixels[i]) == BitConverter.SingleToInt32Bits(actual.Pixels[i]),
                $"{what}: pixel {i} is {actual.Pixels[i]:R} through TurboJPEG, {expected.Pixels[i]:R} through SkiaSharp");
    }
}
