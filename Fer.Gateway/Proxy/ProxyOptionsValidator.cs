using Microsoft.Extensions.Options;

namespace Fer.Gateway.Proxy;

/// <summary>Checks <see cref="ProxyOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(ProxyOptions options)
    {
        const string section = ProxyOptions.SectionName;
        if (options.MaxAttempts is < 1 or > 10) yield return $"{section}:MaxAttempts must be between 1 and 10 (got {options.MaxAttempts})";
        if (options.HealthCheckInterval <= TimeSpan.Zero) yield return $"{section}:HealthCheckInterval must be positive (got {options.HealthCheckInterval})";
        if (options.HealthCheckTimeout <= TimeSpan.Zero) yield return $"{section}:HealthCheckTimeout must be positive (got {options.HealthCheckTimeout})";
    }
}
