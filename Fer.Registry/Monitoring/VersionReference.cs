using Fer.Contracts.Monitoring;

namespace Fer.Registry.Monitoring;

/// <summary>What a version is watched against: the reference it shipped with (<paramref name="Own"/>, in its metrics),
/// else the one attached beside it, else none.</summary>
public sealed record VersionReference(MonitoringReference? Own, AttachedReference? Attached)
{
    public MonitoringReference? Reference => Own ?? Attached?.Reference;
}
