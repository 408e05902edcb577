using Fer.Inference.Batching;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>Checks <see cref="PredictionOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class PredictionOptionsValidator(IOptions<BatchingOptions> batching) : IValidateOptions<PredictionOptions>
{
    public ValidateOptionsResult Validate(string? name, PredictionOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> Check(PredictionOptions options)
    {
        const string section = PredictionOptions.SectionName;
        if (options.MaxRequestBytes is < 1024 or > 1L << 31) yield return $"{section}:MaxRequestBytes must be 1024 to 2147483648, not {options.MaxRequestBytes}";
        if (options.MaxPixels < 1) yield return $"{section}:MaxPixels must be positive, not {options.MaxPixels}";
        if (options.MaxImagesPerRequest < 1) yield return $"{section}:MaxImagesPerRequest must be positive, not {options.MaxImagesPerRequest}";
        if (options.MaxPixelsPerRequest < options.MaxPixels)
            yield return $"{section}:MaxPixelsPerRequest ({options.MaxPixelsPerRequest}) must be at least {section}:MaxPixels ({options.MaxPixels})";
        if (options.MaxDecodingPixels < options.MaxPixelsPerRequest || options.MaxDecodingPixels / MemoryBudget.PixelsPerPermit > int.MaxValue)
            yield return $"{section}:MaxDecodingPixels ({options.MaxDecodingPixels}) must be at least {section}:MaxPixelsPerRequest ({options.MaxPixelsPerRequest}) and below 2e12";
        if (options.MaxBufferedBodyBytes < options.MaxRequestBytes || options.MaxBufferedBodyBytes / MemoryBudget.BytesPerPermit > int.MaxValue)
            yield return $"{section}:MaxBufferedBodyBytes ({options.MaxBufferedBodyBytes}) must be at least {section}:MaxRequestBytes ({options.MaxRequestBytes}) and below 2 TiB";
        if (options.BudgetWait < TimeSpan.Zero || options.BudgetWait > TimeSpan.FromMinutes(5))
            yield return $"{section}:BudgetWait must be between 00:00:00 and 00:05:00, not {options.BudgetWait}";
        var maxBatch = batching.Value.MaxBatchSize;
        if (options.MaxImagesPerRequest > maxBatch)
            yield return $"{section}:MaxImagesPerRequest ({options.MaxImagesPerRequest}) must not exceed {BatchingOptions.SectionName}:MaxBatchSize ({maxBatch}): a request's images run in one batch";
    }
}
