namespace Fer.Cli;

/// <summary>The export verb's arguments, as parsed (unvalidated): a torchvision weight file, or a run folder whose best
/// checkpoint to export (with its test-time flip, or <see cref="TestTimeFlip"/> when given).</summary>
public sealed record ExportRequest(string? Weights, string? Output, int ImageSize, string? ProbeData, string Version, string? Run = null,
    bool? TestTimeFlip = null);
