using System.ComponentModel.DataAnnotations;

namespace Fer.Inference.Models;

/// <summary>Where models come from and how often the replica checks (configuration section <c>Inference:Models</c>),
/// checked at start from the data annotations below and <see cref="Validate"/>; each message names its key.</summary>
public sealed class ReloadOptions : IValidatableObject
{
    public const string SectionName = "Inference:Models";
    private const string Key = SectionName + ":";

    /// <summary>Serve this ONNX file instead of the registry's production version (development and benchmarks).</summary>
    public string? File { get; set; }

    /// <summary>How often the replica compares its model with the production pointer, whatever pub/sub said.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = Key + nameof(ReconcileInterval) + " must be from {1} to {2}")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What an attribute cannot check: a configured model file must exist.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (File is { } file && !System.IO.File.Exists(file))
            yield return new ValidationResult($"{Key}{nameof(File)} '{file}' does not exist", [nameof(File)]);
    }
}
