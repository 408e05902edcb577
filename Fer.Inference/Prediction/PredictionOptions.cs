using System.ComponentModel.DataAnnotations;
using Fer.Imaging;

namespace Fer.Inference.Prediction;

/// <summary>Request limits and the replica's memory budget (configuration section <c>Inference</c>).</summary>
/// <remarks>
/// The budget bounds what a replica holds for requests at any instant, whatever arrives: request bodies being read or
/// decoded (<see cref="MaxBufferedBodyBytes"/>) and images being decoded (<see cref="MaxDecodingPixels"/>). A request
/// larger than the budget could ever hold is refused with 413; one that must wait longer than <see cref="BudgetWait"/>
/// for its share gets 503 with Retry-After.
/// </remarks>
public sealed class PredictionOptions : IValidatableObject
{
    public const string SectionName = "Inference";
    private const string Key = SectionName + ":";

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    [Range(1024L, 1L << 31, ErrorMessage = Key + nameof(MaxRequestBytes) + " must be {1} to {2}")]
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Decompression-bomb guard: the most pixels a declared image may have (413 beyond it).</summary>
    [Range(1L, long.MaxValue, ErrorMessage = Key + nameof(MaxPixels) + " must be positive")]
    public long MaxPixels { get; set; } = FaceImageDecoder.DefaultMaxPixels;

    /// <summary>The most pixels the images of one request may declare together (413 beyond it).</summary>
    public long MaxPixelsPerRequest { get; set; } = 48_000_000;

    /// <summary>The most images in one request (multipart files, or N of a v2 tensor); at most the max batch size.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Key + nameof(MaxImagesPerRequest) + " must be positive")]
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>Replica-wide: the most declared pixels being decoded at once. A photo whose faces are detected is held
    /// as one byte a pixel (two while an EXIF-turned one is turned upright); PNG, JPEG and BMP stream into it a row at a
    /// time, WebP and GIF need 4 bytes per pixel more while they decode. Images taken whole or by their centre stream
    /// straight into the crop. So this bounds that memory to about 2 (6 for WebP and GIF) x this value.</summary>
    public long MaxDecodingPixels { get; set; } = 48_000_000;

    /// <summary>Replica-wide: the most request-body bytes held at once (read, or waiting to be decoded).</summary>
    public long MaxBufferedBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long a request may wait for its share of the budget before it gets 503 with Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = Key + nameof(BudgetWait) + " must be from {1} to {2}")]
    public TimeSpan BudgetWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The rules between this section's own settings (the attributes hold the rest).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxPixelsPerRequest < MaxPixels)
            yield return new ValidationResult($"{Key}MaxPixelsPerRequest ({MaxPixelsPerRequest}) must be at least {Key}MaxPixels ({MaxPixels})");
        if (MaxDecodingPixels < MaxPixelsPerRequest || MaxDecodingPixels / MemoryBudget.PixelsPerPermit > int.MaxValue)
            yield return new ValidationResult($"{Key}MaxDecodingPixels ({MaxDecodingPixels}) must be at least {Key}MaxPixelsPerRequest ({MaxPixelsPerRequest}) and below 2e12");
        if (MaxBufferedBodyBytes < MaxRequestBytes || MaxBufferedBodyBytes / MemoryBudget.BytesPerPermit > int.MaxValue)
            yield return new ValidationResult($"{Key}MaxBufferedBodyBytes ({MaxBufferedBodyBytes}) must be at least {Key}MaxRequestBytes ({MaxRequestBytes}) and below 2 TiB");
    }
}
