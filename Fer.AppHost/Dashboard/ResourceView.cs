using Fer.AppHost.Supervision;

namespace Fer.AppHost.Dashboard;

/// <summary>A resource as /api/resources shows it.</summary>
public sealed record ResourceView(
    string Name,
    string Kind,
    string? Note,
    bool Healthy,
    IReadOnlyList<string> References,
    IReadOnlyList<string> WaitsFor,
    IReadOnlyList<ReplicaSnapshot> Replicas);
