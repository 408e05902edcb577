using System.Runtime.InteropServices;
using SkiaSharp;

namespace Fer.Imaging;

/// <summary>
/// Turns any image into the model's canonical input, identically for training and serving: decode, honour EXIF
/// orientation, grayscale (ITU-R BT.601 luma, as PIL and torchvision compute it), centre square crop, area-resample
/// to 48x48, scale to [0, 1].
/// </summary>
/// <remarks>
/// The image is never held whole where the codec can stream: PNG, JPEG and BMP are decoded one row at a time straight
/// into the resampler (a row of RGBA and 48x48 sums, whatever the image's size). Formats that cannot stream (WebP, GIF)
/// decode into one native buffer that is freed, back to the operating system, as soon as the crop is made.
/// The crop and the resampling happen in the stored orientation; the 48x48 result is then turned upright, which gives
/// the same pixels as turning the whole image first (the centre square maps onto itself).
/// Small grayscale JPEGs without EXIF (FER2013's own) decode whole through the system's TurboJPEG where it is installed
/// (<see cref="TurboJpeg"/>), to the same bytes and so the same crop.
/// </remarks>
public static class FaceImageDecoder
{
    /// <summary>Default decompression-bomb guard: 40 megapixels.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>The stored size the image's header declares, without decoding any pixel.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not an image.</exception>
    public static ImageSize ReadSize(byte[] bytes) => TurboJpeg.TryReadSize(bytes) ?? ReadSizeWithSkia(bytes);

    /// <summary>The general path of <see cref="ReadSize"/>: a SkiaSharp codec for any format it reads.</summary>
    internal static ImageSize ReadSizeWithSkia(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = Open(data);
        return new ImageSize(codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Which library decodes JPEGs here (<see cref="TurboJpeg"/>), for the start-up log.</summary>
    public static string JpegDecoder => TurboJpeg.IsAvailable
        ? "libjpeg-turbo's TurboJPEG (libturbojpeg.so.0) for grayscale JPEGs up to 256x256, SkiaSharp for the rest"
        : "SkiaSharp (install libturbojpeg0 to decode small grayscale JPEGs such as FER2013's in about 40 % less time)";

    /// <summary>The centre square of the image as the model's input (<c>faces=centre</c>).</summary>
    public static FaceImage Decode(byte[] bytes, long maxPixels = DefaultMaxPixels) => Decode(bytes, maxPixels, CropRegion.CentreSquare);

    /// <summary>The whole image as the model's input, stretched to a square where it is not one (<c>faces=whole</c>:
    /// the image already is a face crop); for a square image the same pixels as <see cref="Decode(byte[], long)"/>.</summary>
    public static FaceImage DecodeWhole(byte[] bytes, long maxPixels = DefaultMaxPixels) => Decode(bytes, maxPixels, CropRegion.Whole);

    private static FaceImage Decode(byte[] bytes, long maxPixels, CropRegion region)
    {
        using var gray = TurboJpeg.TryDecodeSmallGray(bytes, maxPixels);
        return gray is null ? DecodeWithSkia(bytes, maxPixels, region) : FromGray(gray, region);
    }

    /// <summary>The whole image, upright, as 8-bit BT.601 luma (what face detection looks at and crops from). It holds
    /// one byte a pixel; formats that cannot stream need four more while they decode.</summary>
    public static GrayImage DecodeGray(byte[] bytes, long maxPixels = DefaultMaxPixels)
    {
        using (var small = TurboJpeg.TryDecodeSmallGray(bytes, maxPixels))
            if (small is not null) return new GrayImage(small.Buffer.AsSpan(0, small.Width * small.Height).ToArray(), small.Width, small.Height);

        using var data = SKData.CreateCopy(bytes);
        using var codec = Open(data);
        var info = codec.Info;
        CheckPixels(info, maxPixels);
        var stored = new byte[(long)info.Width * info.Height];
        var decodeInfo = DecodeInfo(info);
        var sink = new GraySink(stored, info.Width);
        if (codec.StartScanlineDecode(decodeInfo) == SKCodecResult.Success) DecodeRows(codec, decodeInfo, sink);
        else DecodeWhole(codec, decodeInfo, sink);
        return GrayImage.Upright(stored, info.Width, info.Height, codec.EncodedOrigin);
    }

    /// <summary>A grayscale JPEG that <see cref="TurboJpeg"/> decoded whole (it has no EXIF block: it stands as stored).</summary>
    private static unsafe FaceImage FromGray(GrayPixels gray, CropRegion region)
    {
        var resampler = Resampler(region, gray.Width, gray.Height, gray.Width, gray.Height, SKEncodedOrigin.TopLeft);
        fixed (byte* pixels = gray.Buffer) AddRows(pixels, gray.Width, gray.Height, SKColorType.Gray8, new ResamplerSink(resampler));
        return new FaceImage(resampler.Result(), gray.Width, gray.Height);
    }

    /// <summary>The general path: any format SkiaSharp reads, EXIF orientation honoured, rows streamed where it can.</summary>
    internal static FaceImage DecodeWithSkia(byte[] bytes, long maxPixels = DefaultMaxPixels) => DecodeWithSkia(bytes, maxPixels, CropRegion.CentreSquare);

    private static FaceImage DecodeWithSkia(byte[] bytes, long maxPixels, CropRegion region)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = Open(data);

        var info = codec.Info;
        CheckPixels(info, maxPixels);

        var origin = codec.EncodedOrigin;
        var (uprightWidth, uprightHeight) = Orientation.SwapsAxes(origin) ? (info.Height, info.Width) : (info.Width, info.Height);
        var resampler = Resampler(region, info.Width, info.Height, uprightWidth, uprightHeight, origin);

        var decodeInfo = DecodeInfo(info);
        var sink = new ResamplerSink(resampler);
        if (codec.StartScanlineDecode(decodeInfo) == SKCodecResult.Success) DecodeRows(codec, decodeInfo, sink);
        else DecodeWhole(codec, decodeInfo, sink);

        var pixels = Orientation.Apply(resampler.Result(), FaceImage.Size, FaceImage.Size, origin);
        return new FaceImage(pixels, uprightWidth, uprightHeight);
    }

    private static void CheckPixels(SKImageInfo info, long maxPixels)
    {
        if ((long)info.Width * info.Height > maxPixels)
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels,
                $"the image is {info.Width}x{info.Height} pixels; at most {maxPixels:N0} pixels are accepted");
    }

    /// <summary>Grayscale images (FER2013's own JPEGs) decode as one byte a pixel, which is their luma already; the rest
    /// into an explicit RGBA layout (SkiaSharp's native default on Linux is BGRA).</summary>
    private static SKImageInfo DecodeInfo(SKImageInfo info) => info is { ColorType: SKColorType.Gray8, AlphaType: SKAlphaType.Opaque }
        ? new SKImageInfo(info.Width, info.Height, SKColorType.Gray8, SKAlphaType.Opaque)
        : new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);

    private static SKCodec Open(SKData data) => SKCodec.Create(data)
        ?? throw new ImageDecodeException(ImageDecodeError.NotAnImage, "the bytes are not an image (expected JPEG, PNG, WebP, BMP or GIF)");

    /// <summary>The region of the upright image, located in the stored one.</summary>
    private static AreaResampler Resampler(CropRegion region, int width, int height, int uprightWidth, int uprightHeight, SKEncodedOrigin origin)
    {
        var (left, top, regionWidth, regionHeight) = region.Locate(uprightWidth, uprightHeight);
        var (x0, y0) = Orientation.SourceOf(left, top, width, height, origin);
        var (x1, y1) = Orientation.SourceOf(left + regionWidth - 1, top + regionHeight - 1, width, height, origin);
        return new AreaResampler(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0) + 1, Math.Abs(y1 - y0) + 1, FaceImage.Size);
    }

    private static unsafe void DecodeRows(SKCodec codec, SKImageInfo info, RowSink sink)
    {
        var rowBytes = info.RowBytes;
        var row = (byte*)NativeMemory.Alloc((nuint)rowBytes);
        try
        {
            var luma = new float[sink.Width];
            for (var i = 0; i < info.Height; i++)
            {
                var y = codec.NextScanline;
                if (codec.GetScanlines((IntPtr)row, 1, rowBytes) != 1)
                    throw new ImageDecodeException(ImageDecodeError.Corrupt, "the image data is truncated");
                if (!sink.Wants(y)) continue;
                ToLuma(new ReadOnlySpan<byte>(row, rowBytes), info.ColorType, sink.Left, luma);
                sink.AddRow(y, luma);
            }
        }
        finally
        {
            NativeMemory.Free(row);
        }
    }

    private static unsafe void DecodeWhole(SKCodec codec, SKImageInfo info, RowSink sink)
    {
        var pixels = (byte*)NativeMemory.Alloc((nuint)info.BytesSize64);
        try
        {
            var result = codec.GetPixels(info, (IntPtr)pixels);
            if (result == SKCodecResult.IncompleteInput)
                throw new ImageDecodeException(ImageDecodeError.Corrupt, "the image data is truncated");
            if (result != SKCodecResult.Success)
                throw new ImageDecodeException(ImageDecodeError.Corrupt, $"the image data could not be decoded ({result})");
            AddRows(pixels, info.RowBytes, info.Height, info.ColorType, sink);
        }
        finally
        {
            NativeMemory.Free(pixels);
        }
    }

    /// <summary>Feeds the sink the rows it wants of a whole decoded image, <paramref name="rowBytes"/> apart.</summary>
    private static unsafe void AddRows(byte* pixels, int rowBytes, int height, SKColorType layout, RowSink sink)
    {
        var luma = new float[sink.Width];
        for (var y = 0; y < height; y++)
        {
            if (!sink.Wants(y)) continue;
            ToLuma(new ReadOnlySpan<byte>(pixels + (long)y * rowBytes, rowBytes), layout, sink.Left, luma);
            sink.AddRow(y, luma);
        }
    }

    /// <summary>BT.601 luma of <c>luma.Length</c> pixels from column <paramref name="left"/>: gray bytes as they are
    /// (the value RGBA decoding gives them too, r = g = b, opaque), RGBA with transparent pixels composited on white, as
    /// a browser shows them.</summary>
    private static void ToLuma(ReadOnlySpan<byte> rgba, SKColorType layout, int left, Span<float> luma)
    {
        if (layout == SKColorType.Gray8)
        {
            var gray = rgba.Slice(left, luma.Length);
            for (var i = 0; i < luma.Length; i++) luma[i] = gray[i];
            return;
        }
        for (var i = 0; i < luma.Length; i++)
        {
            var p = 4 * (left + i);
            int r = rgba[p], g = rgba[p + 1], b = rgba[p + 2];
            var alpha = rgba[p + 3] / 255f;
            var y = (r * 299 + g * 587 + b * 114) / 1000f;
            luma[i] = y * alpha + 255f * (1 - alpha);
        }
    }
}
