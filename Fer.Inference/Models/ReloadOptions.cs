namespace Fer.Inference.Models;

/// <summary>Where models come from and how often the replica checks (configuration section <c>Inference:Models</c>).</summary>
public sealed class ReloadOptions
{
    public const string Section = "Inference:Models";

    /// <summary>Serve this ONNX file instead of the registry's production version (development and benchmarks).</summary>
    public string? File { get; set; }

    /// <summary>How often the replica compares its model with the production pointer, whatever pub/sub said.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(15);

    internal static IEnumerable<string> Validate(ReloadOptions options)
    {
        if (options.ReconcileInterval < TimeSpan.FromMilliseconds(10) || options.ReconcileInterval > TimeSpan.FromHours(1))
            yield return $"{Section}:ReconcileInterval must be between 00:00:00.010 and 01:00:00, not {options.ReconcileInterval}";
        if (options.File is { } file && !System.IO.File.Exists(file))
            yield return $"{Section}:File '{file}' does not exist";
    }
}
