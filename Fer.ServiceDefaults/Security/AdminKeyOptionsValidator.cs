using Microsoft.Extensions.Options;

namespace Fer.ServiceDefaults.Security;

/// <summary>Checks the admin-key scheme's <see cref="AdminKeyOptions"/> at start-up, naming the configuration key.</summary>
public sealed class AdminKeyOptionsValidator : IValidateOptions<AdminKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminKeyOptions options)
    {
        if (name != AdminKeyDefaults.Scheme) return ValidateOptionsResult.Skip;
        return string.IsNullOrWhiteSpace(options.Key) || options.Key.Trim().Length >= AdminKeyOptions.MinimumLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AdminKeyDefaults.ConfigurationKey} must be at least {AdminKeyOptions.MinimumLength} characters (or unset to generate one)");
    }
}
