using System.Text.Json.Nodes;

namespace Fer.Trainer.Retraining;

/// <summary>
/// When the trainer starts a training run by itself (<c>GET/PUT /feedback/policy</c>, docs/feedback.md): after
/// <see cref="NewLabels"/> labels arrived since the last run it started, every <see cref="Interval"/>, and/or once
/// production's drift alarm has held for <see cref="DriftHold"/>; never twice within <see cref="CoolDown"/>. Off by default. <see cref="Training"/> is a <c>POST /train</c> body; the run
/// adds <c>includeFeedback: true</c> and <c>promote: "rollout"</c> unless it says otherwise.
/// </summary>
public sealed record RetrainingPolicy
{
    public const int DefaultNewLabels = 200;

    public static readonly TimeSpan DefaultCoolDown = TimeSpan.FromHours(6);

    public bool Enabled { get; init; }

    /// <summary>Start a run when this many labels arrived since the last started run; null: no label trigger.</summary>
    public int? NewLabels { get; init; } = DefaultNewLabels;

    /// <summary>Start a run this long after the last started run (or after the policy was switched on); null: no schedule.</summary>
    public TimeSpan? Interval { get; init; }

    public TimeSpan CoolDown { get; init; } = DefaultCoolDown;

    /// <summary>Start a run once production's drift alarm has held this long; null: no drift trigger. A policy that does
    /// not say takes <see cref="RetrainingOptions.DriftHold"/>.</summary>
    public TimeSpan? DriftHold { get; init; }

    /// <summary>The run's training settings, as the body of <c>POST /train</c>; null: the recipe's defaults.</summary>
    public JsonObject? Training { get; init; }

    /// <summary>When the policy was last saved; the schedule counts from it until a first run starts.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
