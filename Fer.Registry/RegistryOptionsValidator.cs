using Microsoft.Extensions.Options;

namespace Fer.Registry;

/// <summary>Checks <see cref="RegistryOptions"/>; every failure names its configuration key.</summary>
public sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> that lists every problem, for use outside DI.</summary>
    public static void ThrowIfInvalid(RegistryOptions options)
    {
        var failures = Check(options).ToList();
        if (failures.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(RegistryOptions), failures);
    }

    private static IEnumerable<string> Check(RegistryOptions options)
    {
        const string section = RegistryOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
            yield return $"{section}:{nameof(RegistryOptions.KeyPrefix)} must be a non-empty string without whitespace (got '{options.KeyPrefix}').";
        if (options.ChunkSizeBytes is < RegistryOptions.MinChunkSizeBytes or > RegistryOptions.MaxChunkSizeBytes)
            yield return $"{section}:{nameof(RegistryOptions.ChunkSizeBytes)} must be between {RegistryOptions.MinChunkSizeBytes} and {RegistryOptions.MaxChunkSizeBytes} (got {options.ChunkSizeBytes}).";
        if (options.RetainVersions < 1)
            yield return $"{section}:{nameof(RegistryOptions.RetainVersions)} must be at least 1 (got {options.RetainVersions}).";
        if (options.PendingChunkTtl < TimeSpan.FromSeconds(1))
            yield return $"{section}:{nameof(RegistryOptions.PendingChunkTtl)} must be at least one second (got {options.PendingChunkTtl}).";
        if (options.MaxChunksInFlight is < 1 or > 256)
            yield return $"{section}:{nameof(RegistryOptions.MaxChunksInFlight)} must be between 1 and 256 (got {options.MaxChunksInFlight}).";
        if (options.HistoryLimit < 2)
            yield return $"{section}:{nameof(RegistryOptions.HistoryLimit)} must be at least 2 (got {options.HistoryLimit}).";
    }
}
