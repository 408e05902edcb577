using System.Diagnostics.Metrics;
using Fer.Benchmarks;
using Fer.Contracts.Monitoring;
using Fer.Inference.Models;
using Fer.Inference.Monitoring;
using Fer.Registry.Model;
using Fer.Registry.Monitoring;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Fer.Tests.Monitoring;

/// <summary>FER2013 test faces replayed through a real replica's /predict (real HTTP, real ONNX Runtime, the bundled
/// model and its committed reference): clean traffic raises no alarm over 10,000 requests and its drift reaches the
/// registry's Redis and the trainer's view; darkened, blurred or occluded traffic raises one within 500 requests, logged
/// and shown by the drift metrics; the label-free accuracy estimate is measured against the accuracy of 1,000 requests per shift.</summary>
public sealed class DriftReplayTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task CleanReplay_OfTenThousandRequests_RaisesNoAlarm_AndItsDriftReachesTheRegistry()
    {
        var prefix = "drift-" + Guid.NewGuid().ToString("N")[..8];
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        var version = (await publisher.Registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath),
            MetricsJson = BundledReplay.MetricsJson(),
            ImageSize = 48,
        })).Version;
        await publisher.Registry.PromoteAsync(version, "test");
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(version);
        await replica.Get<ReferenceCatalog>().LoadAsync(version);

        var started = DateTime.UtcNow;
        var faces = Fer2013Replay.Draw(FaceShift.Clean, 10_000, seed: 27).ToList();
        await ReplayClient.SendAsync(replica.Client, faces);
        var drift = await ReplayClient.DriftOfAsync(replica.Client, version);
        output.WriteLine($"10,000 clean requests in {(DateTime.UtcNow - started).TotalSeconds:F1} s; drift: {drift}");
        Assert.Equal(10_000, drift.GetProperty("faces").GetInt64());
        Assert.Empty(drift.GetProperty("alarms").EnumerateArray());
        Assert.True(drift.GetProperty("scores").EnumerateObject().Count() >= 5, "the five statistics a FER2013 reference describes were tested");

        var registry = new DriftRegistry(publisher.Registry, publisher.Redis, TimeProvider.System);
        var reported = (await Poll.UntilAsync(async () => DriftOverview.Of(await registry.ReadAsync()).Versions.FirstOrDefault(v => v.Name == version),
            v => v is { WindowFaces: 1000 }, TimeSpan.FromSeconds(15), "the replica's drift report in Redis"))!;
        Assert.False(reported.Alarm);
        Assert.Equal(BundledReplay.Reference.Accuracy, reported.OfflineAccuracy);
    }

    [Theory]
    [InlineData(FaceShift.Darkened)]
    [InlineData(FaceShift.Blurred)]
    [InlineData(FaceShift.Occluded)]
    public async Task ShiftedReplay_RaisesAnAlarm_WithinFiveHundredRequests_LoggedAndShownByTheMetrics(FaceShift shift)
    {
        var logs = new RecordedLogs();
        await using var replica = await InferenceHost.StartWithFileAsync(BundledReplay.ModelPath, logs: logs);
        await replica.WaitForVersionAsync(null);
        var version = replica.Get<ModelHolder>().Current!.Version;
        Assert.NotNull(await replica.Get<ReferenceCatalog>().LoadAsync(version));

        var faces = Fer2013Replay.Draw(shift, 500, seed: 270 + (int)shift).ToList();
        var sent = 0;
        do
        {
            await ReplayClient.SendAsync(replica.Client, faces.Skip(sent).Take(50).ToList());
            sent += 50;
        } while (sent < faces.Count && !(await ReplayClient.DriftOfAsync(replica.Client, version)).GetProperty("alarms").EnumerateArray().Any());
        var drift = await ReplayClient.DriftOfAsync(replica.Client, version);
        output.WriteLine($"{shift}: alarm after at most {sent} requests; {drift}");
        Assert.NotEmpty(drift.GetProperty("alarms").EnumerateArray());

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Drift alarm for model {version}", StringComparison.Ordinal));
        var gauges = ReadGauges(replica);
        Assert.Equal(1.0, gauges[("fer.drift.alarm", version, null)]);
        Assert.Contains(gauges, g => g.Key.Name == "fer.drift.score" && g.Key.Version == version && g.Value >= new DriftOptions().AlarmScore);
    }

    /// <summary>Through a real replica: the estimate <c>GET /drift</c> and the metric give (the transport estimate) is
    /// within 0.03 of the measured accuracy on clean and darkened faces; on blurred and occluded faces it misses by more
    /// (docs/monitoring.md) but by less than the mean calibrated confidence, which the replica still reports beside it.</summary>
    [Theory]
    [InlineData(FaceShift.Clean)]
    [InlineData(FaceShift.Darkened)]
    [InlineData(FaceShift.Blurred)]
    [InlineData(FaceShift.Occluded)]
    public async Task LabelFreeAccuracyEstimate_OverOneThousandRequests_AgainstTheMeasuredAccuracy(FaceShift shift)
    {
        await using var replica = await InferenceHost.StartWithFileAsync(BundledReplay.ModelPath);
        await replica.WaitForVersionAsync(null);
        var version = replica.Get<ModelHolder>().Current!.Version;
        Assert.NotNull(await replica.Get<ReferenceCatalog>().LoadAsync(version));

        var faces = Fer2013Replay.Draw(shift, 1000, seed: 2700 + (int)shift).ToList();
        var measured = await ReplayClient.SendAsync(replica.Client, faces) / 1000.0;
        var drift = await ReplayClient.DriftOfAsync(replica.Client, version);
        var estimated = drift.GetProperty("estimatedAccuracy").GetDouble();
        var meanConfidence = drift.GetProperty("meanCalibratedConfidence").GetDouble();
        var thresholded = drift.GetProperty("thresholdedAccuracy").GetDouble();
        var gauge = ReadGauges(replica)[("fer.model.accuracy.estimate", version, null)];
        output.WriteLine($"{shift}: measured accuracy {measured:F4}, estimated {estimated:F4} (transport), {meanConfidence:F4} (mean calibrated confidence), " +
                         $"{thresholded:F4} (thresholded); offline {BundledReplay.Reference.Accuracy:F4}");
        Assert.Equal(1000, drift.GetProperty("windowFaces").GetInt32());
        Assert.Equal(estimated, gauge, 4);
        if (shift is FaceShift.Clean or FaceShift.Darkened)
        {
            Assert.InRange(estimated, measured - 0.03, measured + 0.03);
            Assert.InRange(thresholded, measured - 0.03, measured + 0.03);
            Assert.InRange(meanConfidence, measured - 0.03, measured + 0.03);
        }
        else
        {
            Assert.True(Math.Abs(estimated - measured) < Math.Abs(meanConfidence - measured), "the transport estimate is closer than the mean calibrated confidence");
            Assert.InRange(estimated, measured - 0.08, measured + 0.08);
        }
    }

    /// <summary>The drift gauges of this replica's meters now: (instrument, version, statistic) to value.</summary>
    private static Dictionary<(string Name, string? Version, string? Statistic), double> ReadGauges(InferenceHost replica)
    {
        var values = new Dictionary<(string, string?, string?), double>();
        var factory = replica.Get<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DriftMonitor.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string? version = null, statistic = null;
            foreach (var tag in tags)
            {
                if (tag.Key == Fer.Inference.Telemetry.TelemetryTags.ModelVersion) version = tag.Value as string;
                if (tag.Key == "statistic") statistic = tag.Value as string;
            }
            lock (values) values[(instrument.Name, version, statistic)] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
