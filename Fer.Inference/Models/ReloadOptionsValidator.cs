using Microsoft.Extensions.Options;

namespace Fer.Inference.Models;

/// <summary>Checks <see cref="ReloadOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class ReloadOptionsValidator : IValidateOptions<ReloadOptions>
{
    public ValidateOptionsResult Validate(string? name, ReloadOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(ReloadOptions options)
    {
        const string section = ReloadOptions.SectionName;
        if (options.ReconcileInterval < TimeSpan.FromMilliseconds(10) || options.ReconcileInterval > TimeSpan.FromHours(1))
            yield return $"{section}:ReconcileInterval must be between 00:00:00.010 and 01:00:00, not {options.ReconcileInterval}";
        if (options.File is { } file && !System.IO.File.Exists(file))
            yield return $"{section}:File '{file}' does not exist";
    }
}
