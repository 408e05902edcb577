namespace Fer.Trainer.Retraining;

/// <summary>
/// Drift alarm trigger: the place where a drift alarm that holds for a while will start a run (issue 27, point 2).
/// The policy asks it on every look; a non-null answer is a reason to fire, as enough new labels are.
/// </summary>
public interface IDriftAlarms
{
    /// <summary>The alarm that has held long enough to retrain on (its description), or null.</summary>
    Task<string?> HeldAlarmAsync(CancellationToken cancellationToken);
}
