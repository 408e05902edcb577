using Microsoft.Extensions.Options;

namespace Fer.Inference.Extensions;

/// <summary>Runs an options class's own validation and reports every bad key at start-up.</summary>
internal sealed class OptionsValidation<TOptions>(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
