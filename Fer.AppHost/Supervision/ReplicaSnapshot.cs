namespace Fer.AppHost.Supervision;

/// <summary>What the dashboard shows of one replica.</summary>
public sealed record ReplicaSnapshot(
    string Name,
    ReplicaState State,
    HealthState Health,
    string? HealthDescription,
    int? Pid,
    int Restarts,
    int? LastExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? NextStartAt,
    string? Endpoint,
    long? MemoryBytes);
