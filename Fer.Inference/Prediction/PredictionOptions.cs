using Fer.Imaging;

namespace Fer.Inference.Prediction;

/// <summary>Request limits (configuration section <c>Inference</c>).</summary>
public sealed class PredictionOptions
{
    public const string SectionName = "Inference";

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Decompression-bomb guard: the most pixels a declared image may have (413 beyond it).</summary>
    public long MaxPixels { get; set; } = FaceImageDecoder.DefaultMaxPixels;

    /// <summary>The most images in one request (multipart files, or N of a v2 tensor); at most the max batch size.</summary>
    public int MaxImagesPerRequest { get; set; } = 16;
}
