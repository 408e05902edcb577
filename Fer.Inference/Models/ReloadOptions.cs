namespace Fer.Inference.Models;

/// <summary>Where models come from and how often the replica checks (configuration section <c>Inference:Models</c>).</summary>
public sealed class ReloadOptions
{
    public const string SectionName = "Inference:Models";

    /// <summary>Serve this ONNX file instead of the registry's production version (development and benchmarks).</summary>
    public string? File { get; set; }

    /// <summary>How often the replica compares its model with the production pointer, whatever pub/sub said.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(15);
}
