namespace Fer.Trainer.Cli;

/// <summary>The export verb's arguments, as parsed (unvalidated).</summary>
public sealed record ExportRequest(string? Weights, string? Output, int ImageSize, string? ProbeData, string Version);
