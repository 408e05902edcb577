namespace Fer.Trainer.Retraining;

/// <summary>No alarms source yet: drift monitoring is not built, so drift never starts a run.</summary>
public sealed class NoDriftAlarms : IDriftAlarms
{
    public Task<string?> HeldAlarmAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
