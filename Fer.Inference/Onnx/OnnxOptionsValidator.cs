using Microsoft.Extensions.Options;

namespace Fer.Inference.Onnx;

/// <summary>Checks <see cref="OnnxOptions"/> at start-up; every failure names its configuration key.</summary>
public sealed class OnnxOptionsValidator : IValidateOptions<OnnxOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(OnnxOptions options)
    {
        const string section = OnnxOptions.SectionName;
        if (options.IntraOpThreads is < 0 or > 1024) yield return $"{section}:IntraOpThreads must be 0 (automatic) to 1024, not {options.IntraOpThreads}";
        if (options.InterOpThreads is < 0 or > 1024) yield return $"{section}:InterOpThreads must be 0 (automatic) to 1024, not {options.InterOpThreads}";
        if (!Enum.IsDefined(options.GraphOptimization)) yield return $"{section}:GraphOptimization '{options.GraphOptimization}' is not an ONNX Runtime optimisation level";
        if (options.GpuDeviceId < 0) yield return $"{section}:GpuDeviceId must not be negative";
    }
}
