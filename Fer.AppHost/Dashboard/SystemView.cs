namespace Fer.AppHost.Dashboard;

/// <summary>/api/resources: every resource, plus the AppHost itself and the memory of the whole system.</summary>
public sealed record SystemView(
    int AppHostPid,
    long? AppHostMemoryBytes,
    long SystemMemoryBytes,
    double? AllHealthyAfterSeconds,
    bool AllHealthy,
    IReadOnlyList<ResourceView> Resources);
