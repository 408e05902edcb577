using Fer.Imaging;

namespace Fer.Inference.Prediction;

/// <summary>Request limits and the replica's memory budget (configuration section <c>Inference</c>).</summary>
/// <remarks>
/// The budget bounds what a replica holds for requests at any instant, whatever arrives: request bodies being read or
/// decoded (<see cref="MaxBufferedBodyBytes"/>) and images being decoded (<see cref="MaxDecodingPixels"/>). A request
/// larger than the budget could ever hold is refused with 413; one that must wait longer than <see cref="BudgetWait"/>
/// for its share gets 503 with Retry-After.
/// </remarks>
public sealed class PredictionOptions
{
    public const string SectionName = "Inference";

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Decompression-bomb guard: the most pixels a declared image may have (413 beyond it).</summary>
    public long MaxPixels { get; set; } = FaceImageDecoder.DefaultMaxPixels;

    /// <summary>The most pixels the images of one request may declare together (413 beyond it).</summary>
    public long MaxPixelsPerRequest { get; set; } = 48_000_000;

    /// <summary>The most images in one request (multipart files, or N of a v2 tensor); at most the max batch size.</summary>
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>Replica-wide: the most declared pixels being decoded at once. A photo whose faces are detected is held
    /// as one byte a pixel (two while an EXIF-turned one is turned upright); PNG, JPEG and BMP stream into it a row at a
    /// time, WebP and GIF need 4 bytes per pixel more while they decode. Images taken whole or by their centre stream
    /// straight into the crop. So this bounds that memory to about 2 (6 for WebP and GIF) x this value.</summary>
    public long MaxDecodingPixels { get; set; } = 48_000_000;

    /// <summary>Replica-wide: the most request-body bytes held at once (read, or waiting to be decoded).</summary>
    public long MaxBufferedBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long a request may wait for its share of the budget before it gets 503 with Retry-After.</summary>
    public TimeSpan BudgetWait { get; set; } = TimeSpan.FromSeconds(5);
}
