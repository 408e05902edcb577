using System.Buffers;
using System.Runtime.InteropServices;

namespace Fer.Imaging;

/// <summary>
/// libjpeg-turbo's TurboJPEG library as the system has it (Debian's <c>libturbojpeg0</c>), for the images a replica
/// sees most: small grayscale JPEGs such as FER2013's 48x48 faces. SkiaSharp's own libjpeg-turbo is built without SIMD
/// and sets up a codec for every image; this one keeps a decompressor per thread and uses SIMD (FER2013's test JPEGs to
/// crops: 15.2 us an image against 26.4 us through SkiaSharp, the <c>decode</c> benchmark, 2026-12-06). Both decode
/// with libjpeg's integer IDCT, which libjpeg-turbo keeps bit-exact between its SIMD and C code, so the gray bytes are
/// the same (all 3,589 FER2013 test crops identical, which the <c>decode</c> benchmark checks; 420 of them in the tests).
/// Absent (another system, or not installed), everything decodes through SkiaSharp as before.
/// </summary>
internal static unsafe class TurboJpeg
{
    /// <summary>Larger images stream through SkiaSharp a row at a time instead of being held whole here.</summary>
    public const int MaxPixels = 256 * 256;

    private const string Library = "libturbojpeg.so.0";
    private const int GrayColorspace = 2; // TJCS_GRAY
    private const int GrayPixelFormat = 6; // TJPF_GRAY

    private static readonly delegate* unmanaged<IntPtr> initDecompress;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int> decompressHeader;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int> decompress;
    private static readonly delegate* unmanaged<IntPtr, int> destroy;

    [ThreadStatic] private static Decompressor? threadDecompressor;

    static TurboJpeg()
    {
        // `unsigned long` sizes are 64-bit only on Linux among the 64-bit systems; elsewhere SkiaSharp decodes.
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || !NativeLibrary.TryLoad(Library, out var library)) return;
        if (!NativeLibrary.TryGetExport(library, "tjInitDecompress", out var init)
            || !NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out var header)
            || !NativeLibrary.TryGetExport(library, "tjDecompress2", out var body)
            || !NativeLibrary.TryGetExport(library, "tjDestroy", out var free)) return;
        initDecompress = (delegate* unmanaged<IntPtr>)init;
        decompressHeader = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)header;
        decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)body;
        destroy = (delegate* unmanaged<IntPtr, int>)free;
        IsAvailable = true;
    }

    public static bool IsAvailable { get; }

    /// <summary>Decodes <paramref name="jpeg"/> when it is a grayscale JPEG of at most <see cref="MaxPixels"/> pixels
    /// (and <paramref name="maxPixels"/>) with no EXIF block (which could turn it), into a rented buffer of
    /// <c>width x height</c> bytes; null for anything else, and for any error or warning of the decoder, so that
    /// SkiaSharp decodes it, or says what is wrong with it, as it always did.</summary>
    public static GrayPixels? TryDecodeSmallGray(byte[] jpeg, long maxPixels)
    {
        if (!IsAvailable || !IsJpegWithoutExif(jpeg)) return null;
        var handle = ThreadHandle;
        if (handle == IntPtr.Zero) return null;
        fixed (byte* source = jpeg)
        {
            int width, height, subsampling, colorspace;
            if (decompressHeader(handle, source, (nuint)jpeg.Length, &width, &height, &subsampling, &colorspace) != 0) return null;
            var pixels = (long)width * height;
            if (colorspace != GrayColorspace || width < 1 || height < 1 || pixels > MaxPixels || pixels > maxPixels) return null;
            var buffer = ArrayPool<byte>.Shared.Rent((int)pixels);
            bool decoded;
            fixed (byte* target = buffer)
                decoded = decompress(handle, source, (nuint)jpeg.Length, target, width, width, height, GrayPixelFormat, 0) == 0;
            if (decoded) return new GrayPixels(buffer, width, height);
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
    }

    /// <summary>The stored size <paramref name="jpeg"/>'s header declares, read without decoding a pixel (any JPEG
    /// TurboJPEG reads: colour, large, with EXIF); null for anything else, so that SkiaSharp reads it or says what is
    /// wrong with it. A replica reads every image's size first, to check the pixel limits: 0.48 us an image this way,
    /// 2.17 through a SkiaSharp codec (FER2013's test JPEGs, the <c>decode</c> benchmark, 2026-12-07).</summary>
    public static ImageSize? TryReadSize(byte[] jpeg)
    {
        if (!IsAvailable || jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return null;
        var handle = ThreadHandle;
        if (handle == IntPtr.Zero) return null;
        int width, height, subsampling, colorspace;
        fixed (byte* source = jpeg)
            if (decompressHeader(handle, source, (nuint)jpeg.Length, &width, &height, &subsampling, &colorspace) != 0) return null;
        return width < 1 || height < 1 ? null : new ImageSize(width, height);
    }

    /// <summary>This thread's decompressor (zero where TurboJPEG could not make one).</summary>
    private static IntPtr ThreadHandle => (threadDecompressor ??= new Decompressor()).Handle;

    /// <summary>Whether the bytes start a JPEG whose header segments, up to the first scan, hold no APP1 (EXIF) block;
    /// a header this cannot walk counts as having one.</summary>
    private static bool IsJpegWithoutExif(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return false;
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            if (marker == 0xDA) return true; // start of scan: the header is over
            if (marker is 0xE1 or 0xFF or 0x01 or (>= 0xD0 and <= 0xD8)) return false; // EXIF, or a header this does not walk
            at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
        }
        return false;
    }

    /// <summary>A thread's decompressor, destroyed with the thread (its finaliser runs once the thread is gone).</summary>
    private sealed class Decompressor
    {
        public readonly IntPtr Handle = initDecompress();

        ~Decompressor()
        {
            if (Handle != IntPtr.Zero) destroy(Handle);
        }
    }
}
