namespace Fer.Inference.Models;

/// <summary>What the reloader last saw, for health and logs.</summary>
public sealed record ReloadStatus(
    string? ProductionKey,
    string? Loading,
    string? RefusedKey,
    string? RefusedBecause,
    string? SourceProblem,
    bool Subscribed,
    bool Reconciled)
{
    public static ReloadStatus Initial { get; } = new(null, null, null, null, null, false, false);
}
