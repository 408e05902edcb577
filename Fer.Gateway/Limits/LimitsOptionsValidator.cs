using Microsoft.Extensions.Options;

namespace Fer.Gateway.Limits;

/// <summary>Checks <see cref="LimitsOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(LimitsOptions options)
    {
        const string section = LimitsOptions.SectionName;
        if (options.MaxRequestBodyBytes <= 0) yield return $"{section}:MaxRequestBodyBytes must be positive (got {options.MaxRequestBodyBytes})";
        if (options.PredictPermitLimit <= 0) yield return $"{section}:PredictPermitLimit must be positive (got {options.PredictPermitLimit})";
        if (options.PredictWindow <= TimeSpan.Zero) yield return $"{section}:PredictWindow must be positive (got {options.PredictWindow})";
    }
}
