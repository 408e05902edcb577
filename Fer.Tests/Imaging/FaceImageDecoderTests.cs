using Fer.Imaging;
using Fer.Tests.Infrastructure;
using SkiaSharp;

namespace Fer.Tests.Imaging;

public sealed class FaceImageDecoderTests
{
    [Fact]
    public void Fer2013Image_IsDecodedPixelForPixel()
    {
        var path = Path.Combine(RepositoryPaths.Fer2013, "train", "happy", "Training_10019449.jpg");
        var bytes = File.ReadAllBytes(path);
        using var reference = SKBitmap.Decode(bytes, new SKImageInfo(48, 48, SKColorType.Gray8, SKAlphaType.Opaque));

        var face = FaceImageDecoder.Decode(bytes);

        Assert.Equal((48, 48), (face.SourceWidth, face.SourceHeight));
        var expected = reference.Bytes;
        for (var i = 0; i < FaceImage.PixelCount; i++)
            Assert.Equal(expected[i] / 255f, face.Pixels[i], 1e-6f);
    }

    [Fact]
    public void GrayImages_DecodeExactlyAsTheirRgbaExpansionDid()
    {
        // Gray images skip the RGBA expansion; the pixels must stay bit for bit those the shipped model was trained on.
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryPaths.Fer2013, "test", "fear"), "*.jpg").Order(StringComparer.Ordinal).Take(20))
        {
            var bytes = File.ReadAllBytes(path);
            using var rgba = SKBitmap.Decode(bytes, new SKImageInfo(48, 48, SKColorType.Rgba8888, SKAlphaType.Unpremul));

            var face = FaceImageDecoder.Decode(bytes);

            for (var i = 0; i < FaceImage.PixelCount; i++)
            {
                var pixel = rgba.Bytes.AsSpan(4 * i, 4);
                var luma = (pixel[0] * 299 + pixel[1] * 587 + pixel[2] * 114) / 1000f;
                Assert.Equal(Math.Clamp(luma / 255f, 0f, 1f), face.Pixels[i]);
            }
        }
    }

    [Fact]
    public void ColourImage_BecomesBt601Luma()
    {
        var bytes = TestImages.Encode(64, 64, (_, _) => new SKColor(200, 100, 50));

        var face = FaceImageDecoder.Decode(bytes);

        var luma = (200 * 0.299f + 100 * 0.587f + 50 * 0.114f) / 255f;
        Assert.All(face.Pixels, p => Assert.Equal(luma, p, 1e-5f));
    }

    [Fact]
    public void WideImage_IsCroppedToItsCentreSquare()
    {
        // 90x30: black, white, black thirds. The centre 30x30 square is the white third.
        var bytes = TestImages.Encode(90, 30, (x, _) => x is >= 30 and < 60 ? SKColors.White : SKColors.Black);

        var face = FaceImageDecoder.Decode(bytes);

        Assert.All(face.Pixels, p => Assert.Equal(1f, p, 1e-6f));
    }

    [Fact]
    public void Downscaling_AveragesTheAreaUnderEachPixel()
    {
        // A 96x96 checkerboard of single pixels: every 2x2 block averages to mid grey.
        var bytes = TestImages.Encode(96, 96, (x, y) => (x + y) % 2 == 0 ? SKColors.White : SKColors.Black);

        var face = FaceImageDecoder.Decode(bytes);

        Assert.All(face.Pixels, p => Assert.Equal(0.5f, p, 1e-5f));
    }

    [Fact]
    public void NonIntegerScale_KeepsTheMeanBrightness()
    {
        // 100x100 with a left half black and right half white: area resampling preserves the mean exactly.
        var bytes = TestImages.Encode(100, 100, (x, _) => x < 50 ? SKColors.Black : SKColors.White);

        var face = FaceImageDecoder.Decode(bytes);

        Assert.Equal(0.5, face.Pixels.Average(), 1e-5);
        Assert.Equal(0f, face.Pixels[0], 1e-6f);
        Assert.Equal(1f, face.Pixels[47], 1e-6f);
    }

    [Fact]
    public void ExifOrientation_IsHonoured()
    {
        // Stored 60x40, top half black, bottom half white, EXIF 6 (view rotated 90 degrees clockwise): stood up it is
        // 40x60 with white on the left and black on the right.
        var stored = TestImages.Encode(60, 40, (_, y) => y < 20 ? SKColors.Black : SKColors.White, SKEncodedImageFormat.Jpeg);

        var face = FaceImageDecoder.Decode(TestImages.WithExifOrientation(stored, 6));

        Assert.Equal((40, 60), (face.SourceWidth, face.SourceHeight));
        Assert.True(face.Pixels[24 * 48 + 4] > 0.9f, "left side should be white");
        Assert.True(face.Pixels[24 * 48 + 43] < 0.1f, "right side should be black");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EveryExifOrientation_GivesTheCropOfTheImageTurnedUpright(ushort orientation)
    {
        // Odd sizes, so that the centre square's offset rounds differently once the image is turned; a smooth pattern,
        // so that the JPEG's error stays small. The reference turns the decoded pixels upright first, then crops.
        var stored = TestImages.Encode(77, 52, (x, y) => new SKColor((byte)(x * 3), (byte)(y * 4), (byte)(x + y)), SKEncodedImageFormat.Jpeg);
        using var pixels = SKBitmap.Decode(stored, new SKImageInfo(77, 52, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var swaps = orientation >= 5;
        var (width, height) = swaps ? (52, 77) : (77, 52);
        var upright = TestImages.Encode(width, height, (x, y) =>
        {
            var (sx, sy) = orientation switch
            {
                2 => (76 - x, y), 3 => (76 - x, 51 - y), 4 => (x, 51 - y), 5 => (y, x),
                6 => (y, 51 - x), 7 => (76 - y, 51 - x), _ => (76 - y, x),
            };
            return pixels.GetPixel(sx, sy);
        });

        var face = FaceImageDecoder.Decode(TestImages.WithExifOrientation(stored, orientation));
        var expected = FaceImageDecoder.Decode(upright);

        Assert.Equal((width, height), (face.SourceWidth, face.SourceHeight));
        for (var i = 0; i < FaceImage.PixelCount; i++) Assert.Equal(expected.Pixels[i], face.Pixels[i], 1e-5f);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Webp)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Png)]
    public void EveryFormat_GivesTheSameCrop(SKEncodedImageFormat format)
    {
        // WebP cannot stream row by row and takes the whole-image path; JPEG and PNG stream. Flat colours survive every codec.
        var bytes = TestImages.Encode(150, 100, (x, _) => x < 75 ? new SKColor(40, 40, 40) : new SKColor(220, 220, 220), format);

        var face = FaceImageDecoder.Decode(bytes);

        Assert.Equal(0.5 * (40 + 220) / 255, face.Pixels.Average(), 2e-3);
        Assert.Equal(40 / 255f, face.Pixels[24 * 48 + 2], 2e-2f);
        Assert.Equal(220 / 255f, face.Pixels[24 * 48 + 45], 2e-2f);
    }

    [Fact]
    public void BytesThatAreNotAnImage_AreRejectedAsSuch()
    {
        var error = Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.Decode("this is not an image"u8.ToArray()));

        Assert.Equal(ImageDecodeError.NotAnImage, error.Error);
        Assert.Contains("not an image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecompressionBomb_IsRejectedFromItsHeaderAlone()
    {
        var error = Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.Decode(TestImages.PngHeaderClaiming(60_000, 60_000)));

        Assert.Equal(ImageDecodeError.TooManyPixels, error.Error);
        Assert.Contains("60000x60000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedImage_IsReportedAsCorrupt()
    {
        var bytes = TestImages.Encode(64, 64, (x, y) => new SKColor((byte)x, (byte)y, 0), SKEncodedImageFormat.Jpeg);

        var error = Assert.Throws<ImageDecodeException>(() => FaceImageDecoder.Decode(bytes[..(bytes.Length / 2)]));

        Assert.Equal(ImageDecodeError.Corrupt, error.Error);
    }

    [Fact]
    public void ToPng_GivesBackTheCropThatTheModelSaw()
    {
        var bytes = TestImages.Encode(48, 48, (x, y) => new SKColor((byte)(x * 5), (byte)(x * 5), (byte)(x * 5)));
        var face = FaceImageDecoder.Decode(bytes);

        var again = FaceImageDecoder.Decode(face.ToPng());

        Assert.Equal(face.Pixels, again.Pixels);
    }
}
