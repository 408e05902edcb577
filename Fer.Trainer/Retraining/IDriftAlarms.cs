namespace Fer.Trainer.Retraining;

/// <summary>
/// The drift alarm trigger: an alarm that has held for a while starts a run.
/// The policy asks it on every look; a non-null answer is a reason to fire, as enough new labels are.
/// </summary>
public interface IDriftAlarms
{
    /// <summary>The alarm that has held for at least <paramref name="hold"/> (its description), or null.</summary>
    Task<string?> HeldAlarmAsync(TimeSpan hold, CancellationToken cancellationToken);
}
