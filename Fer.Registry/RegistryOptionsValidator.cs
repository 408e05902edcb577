using Microsoft.Extensions.Options;

namespace Fer.Registry;

/// <summary>Checks <see cref="RegistryOptions"/>' data annotations where no options pipeline does (a registry built
/// from <see cref="Options.Create{TOptions}"/>); in a host, <c>ValidateDataAnnotations()</c> does it at start.</summary>
public static class RegistryOptionsValidator
{
    /// <summary>Throws an <see cref="OptionsValidationException"/> that lists every problem, each naming its key.</summary>
    public static void ThrowIfInvalid(RegistryOptions options)
    {
        var result = new DataAnnotationValidateOptions<RegistryOptions>(null).Validate(Options.DefaultName, options);
        if (result.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(RegistryOptions), result.Failures);
    }
}
