using System.ComponentModel.DataAnnotations;

namespace Fer.Trainer.Retraining;

/// <summary>How the policy is checked (section "Retraining"); the policy itself is set through the API.</summary>
public sealed class RetrainingOptions
{
    public const string SectionName = "Retraining";

    /// <summary>How often the trainer looks at the policy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "Retraining:CheckInterval must be between 50 ms and 1 h")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The drift trigger of a policy that does not set its own <c>driftHold</c>: how long production's drift
    /// alarm must hold before it starts a run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Retraining:DriftHold must be between 0 and 7 days")]
    public TimeSpan DriftHold { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many decisions the list keeps.</summary>
    [Range(1, 10_000, ErrorMessage = "Retraining:HistoryLimit must be between 1 and 10000")]
    public int HistoryLimit { get; set; } = 100;
}
