using Fer.AppHost.Registry;
using Fer.Registry.Monitoring;

namespace Fer.Tests.AppHost;

public sealed class DriftSummaryTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    private static readonly DriftOverview TwoVersions = DriftOverview.Of([
        new DriftReport("replica-a", Since, [
            Version("v0003", new() { ["brightness"] = 293, ["sharpness"] = 269.04, ["classes"] = 1.2 }, ["brightness", "sharpness"], 600),
            Version("v0004", new() { ["brightness"] = 0.4 }, [], 1000)]),
        new DriftReport("replica-b", Since, [Version("v0003", new() { ["brightness"] = 12 }, ["brightness"], 400)]),
    ]);

    [Fact]
    public void ProductionInAlarm_NamesTheStatistics_AndWarns()
    {
        Assert.Equal(" · drift alarm: brightness, sharpness", DriftSummary.StateAlarms(TwoVersions, ["v0003"]));
        Assert.True(DriftSummary.AnyAlarm(TwoVersions, ["v0003"]));
    }

    [Fact]
    public void AClearVersion_AddsNothing_NorDoesAVersionNoReplicaReports()
    {
        Assert.Equal("", DriftSummary.StateAlarms(TwoVersions, ["v0004"]));
        Assert.False(DriftSummary.AnyAlarm(TwoVersions, ["v0004"]));
        Assert.Equal("", DriftSummary.StateAlarms(TwoVersions, ["v0009"]));
        Assert.Equal("", DriftSummary.StateAlarms(TwoVersions, []));
    }

    [Fact]
    public void InARollout_EachAlarmNamesItsVersion()
    {
        Assert.Equal(" · drift alarm v0003: brightness, sharpness", DriftSummary.StateAlarms(TwoVersions, ["v0003", "v0004"]));
        Assert.True(DriftSummary.AnyAlarm(TwoVersions, ["v0004", "v0003"]));
    }

    [Fact]
    public void TheProperty_SaysEveryVersion_WithTheHighestScoreOfEachAlarm_TheFacesOfAllReplicas_OrThatNoneReports()
    {
        Assert.Equal("v0003 alarm: brightness 293.0, sharpness 269.0 since 2026-12-07 14:00:00Z (1,000 faces) · v0004 clear (1,000 faces)",
            DriftSummary.DescribeVersions(TwoVersions));
        Assert.Equal(DriftSummary.NoReports, DriftSummary.DescribeVersions(DriftOverview.Of([])));
    }

    private static VersionDrift Version(string name, Dictionary<string, double> scores, string[] alarms, int faces) =>
        new(name, true, faces, faces, scores, alarms, alarms.Length > 0 ? Since : null, 0.69, 0.68, 0.67, 0.83);
}
