using Microsoft.Extensions.Options;

namespace Fer.Inference.Batching;

/// <summary>Checks <see cref="BatchingOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class BatchingOptionsValidator : IValidateOptions<BatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, BatchingOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(BatchingOptions options)
    {
        const string section = BatchingOptions.SectionName;
        if (options.MaxBatchSize is < 1 or > 4096) yield return $"{section}:MaxBatchSize must be 1 to 4096, not {options.MaxBatchSize}";
        if (options.MaxDelay < TimeSpan.Zero || options.MaxDelay > TimeSpan.FromSeconds(1))
            yield return $"{section}:MaxDelay must be between 00:00:00 and 00:00:01, not {options.MaxDelay}";
        if (options.QueueCapacity is < 1 or > 1_000_000) yield return $"{section}:QueueCapacity must be 1 to 1000000, not {options.QueueCapacity}";
        if (options.ConcurrentBatches is < 0 or > 256)
            yield return $"{section}:ConcurrentBatches must be 0 (one lane a core) to 256, not {options.ConcurrentBatches}";
    }
}
