using Microsoft.Extensions.Options;

namespace Fer.Trainer.Extensions;

public sealed class TrainerOptionsValidator : IValidateOptions<TrainerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainerOptions options)
    {
        var errors = new List<string>();
        const string section = TrainerOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            errors.Add($"{section}:{nameof(options.DataDirectory)} must be a path");
        if (options.FallbackDataDirectories.Any(string.IsNullOrWhiteSpace))
            errors.Add($"{section}:{nameof(options.FallbackDataDirectories)} must hold only paths");
        if (string.IsNullOrWhiteSpace(options.RunsDirectory))
            errors.Add($"{section}:{nameof(options.RunsDirectory)} must be a path");
        if (options.WeightsPath is not null && string.IsNullOrWhiteSpace(options.WeightsPath))
            errors.Add($"{section}:{nameof(options.WeightsPath)} must be a path or left out");
        if (options.RecentJobs is < 1 or > 10_000)
            errors.Add($"{section}:{nameof(options.RecentJobs)} must be from 1 to 10000 (got {options.RecentJobs})");
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
            errors.Add($"{section}:{nameof(options.KeyPrefix)} must be a non-empty word without spaces (got '{options.KeyPrefix}')");
        if (options.ProgressSaveInterval < TimeSpan.Zero || options.ProgressSaveInterval > TimeSpan.FromMinutes(10))
            errors.Add($"{section}:{nameof(options.ProgressSaveInterval)} must be from 00:00:00 to 00:10:00 (got {options.ProgressSaveInterval})");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
