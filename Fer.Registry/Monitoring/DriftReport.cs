namespace Fer.Registry.Monitoring;

/// <summary>What one replica reports about drift: every version it answered with, at <paramref name="At"/>.</summary>
public sealed record DriftReport(string Replica, DateTimeOffset At, IReadOnlyList<VersionDrift> Versions);
