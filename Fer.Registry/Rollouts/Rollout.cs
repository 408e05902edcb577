using System.Text.Json.Serialization;

namespace Fer.Registry.Rollouts;

/// <summary>The version in rollout beside production: where it stands in its plan, its gates, and since when. One at a
/// time, kept in Redis, so every process (and a restarted one) reads the same.</summary>
/// <param name="Id">Unique per rollout: the candidate and when it started (a rollout of the same version later is another).</param>
/// <param name="Baseline">Production when the rollout started: what the candidate is compared with.</param>
public sealed record Rollout(
    string Id,
    string Candidate,
    string Baseline,
    IReadOnlyList<RolloutStep> Steps,
    int Step,
    RolloutGates Gates,
    DateTimeOffset StartedAt,
    DateTimeOffset StepStartedAt,
    string? Reason)
{
    [JsonIgnore]
    public RolloutStep Current => Steps[Step];

    /// <summary>The current step's mode and share, also in the record so that every reader sees them at a glance.</summary>
    public RolloutMode Mode => Current.Mode;

    public double Share => Current.Share;

    [JsonIgnore]
    public bool IsLastStep => Step == Steps.Count - 1;

    /// <summary>The default plan: shadow half the requests, then answer 10 %, 25 % and 50 % of them, then promote.</summary>
    public static IReadOnlyList<RolloutStep> DefaultSteps { get; } =
    [
        new(RolloutMode.Shadow, 0.5, MinRequests: 200, MaxDuration: TimeSpan.FromMinutes(10)),
        new(RolloutMode.Canary, 0.10, MinRequests: 200, MaxDuration: TimeSpan.FromMinutes(10)),
        new(RolloutMode.Canary, 0.25, MinRequests: 200, MaxDuration: TimeSpan.FromMinutes(10)),
        new(RolloutMode.Canary, 0.50, MinRequests: 200, MaxDuration: TimeSpan.FromMinutes(10)),
    ];
}
