using Fer.Imaging;

namespace Fer.Inference.Prediction;

/// <summary>Request limits (configuration section <c>Inference</c>).</summary>
public sealed class PredictionOptions
{
    public const string Section = "Inference";

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Decompression-bomb guard: the most pixels a declared image may have (413 beyond it).</summary>
    public long MaxPixels { get; set; } = FaceImageDecoder.DefaultMaxPixels;

    /// <summary>The most images in one request (multipart files, or N of a v2 tensor); at most the max batch size.</summary>
    public int MaxImagesPerRequest { get; set; } = 16;

    internal static IEnumerable<string> Validate(PredictionOptions options)
    {
        if (options.MaxRequestBytes is < 1024 or > 1L << 31) yield return $"{Section}:MaxRequestBytes must be 1024 to 2147483648, not {options.MaxRequestBytes}";
        if (options.MaxPixels < 1) yield return $"{Section}:MaxPixels must be positive, not {options.MaxPixels}";
        if (options.MaxImagesPerRequest < 1) yield return $"{Section}:MaxImagesPerRequest must be positive, not {options.MaxImagesPerRequest}";
    }
}
