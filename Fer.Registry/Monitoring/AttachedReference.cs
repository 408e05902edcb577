using Fer.Contracts.Monitoring;

namespace Fer.Registry.Monitoring;

/// <summary>A monitoring reference attached to a version after it was published: the reference, when it was attached, and
/// what it was computed on (a sentence for people, e.g. the data set and the split).</summary>
public sealed record AttachedReference(MonitoringReference Reference, DateTimeOffset AttachedAt, string Source);
