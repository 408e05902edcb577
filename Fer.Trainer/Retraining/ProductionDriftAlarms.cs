using System.Globalization;
using Fer.Registry;
using Fer.Registry.Monitoring;

namespace Fer.Trainer.Retraining;

/// <summary>The drift trigger: production's drift alarm, as the replicas report it (<see cref="DriftRegistry"/>), once it
/// has held for the policy's <see cref="RetrainingPolicy.DriftHold"/>; a short alarm (a burst of odd traffic) starts nothing.</summary>
public sealed class ProductionDriftAlarms(DriftRegistry drift, ModelRegistry registry, TimeProvider time) : IDriftAlarms
{
    public async Task<string?> HeldAlarmAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        if (await registry.GetProductionVersionAsync() is not { } production) return null;
        var version = DriftOverview.Of(await drift.ReadAsync()).Versions.FirstOrDefault(v => v.Name == production);
        if (version is not { Alarm: true, AlarmSince: { } since } || time.GetUtcNow() - since < hold) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(", ", version.Alarms)} on {production} since {since:yyyy-MM-dd HH:mm:ss}Z");
    }
}
