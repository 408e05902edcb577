using Fer.Contracts.Monitoring;

namespace Fer.Trainer.Monitoring;

/// <summary>A version's monitoring reference and where it comes from: <c>metrics</c> (it shipped with the version),
/// <c>attached</c> (computed later; then when, and on what), or <c>none</c> (nothing watches the version; no reference).</summary>
public sealed record MonitoringReferenceResponse(string Version, string Origin, DateTimeOffset? AttachedAt, string? Source, MonitoringReference? Reference)
{
    public const string FromMetrics = "metrics";
    public const string Attached = "attached";
    public const string None = "none";
}
