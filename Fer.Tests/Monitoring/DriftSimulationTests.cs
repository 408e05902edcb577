using Fer.Benchmarks;
using Fer.Contracts.Monitoring;
using Fer.Inference.Monitoring;
using Xunit.Abstractions;

namespace Fer.Tests.Monitoring;

/// <summary>
/// The drift tests' false-alarm rate and detection delay, measured offline with the replica's own window and tests on
/// what the bundled model answers to FER2013's test faces (drawn at random with replacement): many clean replays of
/// 10,000 faces, and shifted replays of 500. The default run simulates 200 clean replays; <c>Category=Long</c> 2,000
/// (the figure in docs/monitoring.md).
/// </summary>
public sealed class DriftSimulationTests(ITestOutputHelper output)
{
    private static readonly DriftOptions Defaults = new();

    [Fact]
    public void CleanReplays_OfTenThousandFaces_RaiseNoAlarm_InTwoHundredRuns() => CleanReplays(200, maxAlarmedRuns: 0);

    [Fact]
    [Trait("Category", "Long")]
    public void CleanReplays_OfTenThousandFaces_RaiseAnAlarm_InFewerThanOnePercentOfTwoThousandRuns() => CleanReplays(2000, maxAlarmedRuns: 19);

    [Theory]
    [InlineData(FaceShift.Darkened)]
    [InlineData(FaceShift.Blurred)]
    [InlineData(FaceShift.Occluded)]
    public void ShiftedReplays_RaiseAnAlarm_WithinFiveHundredFaces_InEveryRun(FaceShift shift)
    {
        var (faces, _) = BundledReplay.Answers(shift);
        var delays = new List<int>();
        for (var run = 0; run < 200; run++)
        {
            var window = new VersionWindow("v", BundledReplay.Reference, Defaults);
            var random = new Random(run);
            var alarmedAt = -1;
            for (var i = 1; i <= 500 && alarmedAt < 0; i++)
                if (window.Add(faces[random.Next(faces.Length)], DateTimeOffset.UnixEpoch) && window.Alarms.Count > 0) alarmedAt = i;
            Assert.True(alarmedAt > 0, $"run {run}: no alarm within 500 {shift} faces; scores {string.Join(", ", window.Scores)}");
            delays.Add(alarmedAt);
        }
        var last = new VersionWindow("v", BundledReplay.Reference, Defaults);
        var random2 = new Random(1);
        for (var i = 0; i < 500; i++) last.Add(faces[random2.Next(faces.Length)], DateTimeOffset.UnixEpoch);
        output.WriteLine($"{shift}: alarm after {delays.Min()}..{delays.Max()} faces (median {delays.Order().ElementAt(delays.Count / 2)}) in 200 runs; " +
                         $"scores after 500: {string.Join(", ", last.Scores.Select(s => $"{s.Key} {s.Value:F1}"))}");
    }

    /// <summary>The three label-free estimates on the whole test set under each shift (docs/monitoring.md's table). The
    /// transport estimate is within 0.03 on clean and darkened faces; on blurred and occluded faces it misses by more
    /// (+0.049 and +0.029 measured), but by less than the mean calibrated confidence, which it replaced.</summary>
    [Theory]
    [InlineData(FaceShift.Clean)]
    [InlineData(FaceShift.Darkened)]
    [InlineData(FaceShift.Blurred)]
    [InlineData(FaceShift.Occluded)]
    public void LabelFreeEstimates_OnTheWholeTestSet_AgainstTheAccuracy(FaceShift shift)
    {
        var (faces, correct) = BundledReplay.Answers(shift);
        var accuracy = correct.Count(c => c) / (double)correct.Length;
        var meanConfidence = faces.Average(f => f.CalibratedConfidence);
        var uncalibrated = faces.Average(f => f.Confidence);
        var threshold = BundledReplay.Reference.ConfidenceThreshold!.Value;
        var thresholded = faces.Count(f => (float)f.CalibratedConfidence > (float)threshold) / (double)faces.Length;
        var transport = TransportEstimate.Accuracy(faces.SelectMany(f => f.CalibratedProbabilities).ToArray(), BundledReplay.Reference.ClassShares!);
        output.WriteLine($"{shift}: {faces.Length} faces, accuracy {accuracy:F4}, transport {transport:F4} ({transport - accuracy:+0.0000;-0.0000}), " +
                         $"mean calibrated confidence {meanConfidence:F4} ({meanConfidence - accuracy:+0.0000;-0.0000}; uncalibrated {uncalibrated:F4}), " +
                         $"thresholded {thresholded:F4} ({thresholded - accuracy:+0.0000;-0.0000})");
        if (shift is FaceShift.Clean or FaceShift.Darkened)
        {
            Assert.InRange(transport, accuracy - 0.03, accuracy + 0.03);
            Assert.InRange(thresholded, accuracy - 0.03, accuracy + 0.03);
            Assert.InRange(meanConfidence, accuracy - 0.03, accuracy + 0.03);
        }
        else
        {
            Assert.True(Math.Abs(transport - accuracy) < Math.Abs(meanConfidence - accuracy), "the transport estimate is closer than the mean calibrated confidence");
            Assert.InRange(transport, accuracy - 0.07, accuracy + 0.07);
        }
    }

    [Fact]
    public void Window_WithAReferenceMadeBeforeClassShares_EstimatesByTheMeanCalibratedConfidence()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(BundledReplay.Reference.ToJson())!.AsObject();
        json.Remove("classShares");
        json.Remove("transportAccuracy");
        json.Remove("transportTemperature");
        var old = MonitoringReference.TryParse(json.ToJsonString())!;
        Assert.Null(old.ClassShares);
        var (faces, _) = BundledReplay.Answers(FaceShift.Blurred);
        var before = new VersionWindow("v", old, Defaults);
        var now = new VersionWindow("v", BundledReplay.Reference, Defaults);
        foreach (var face in faces.Take(1000))
        {
            before.Add(face, DateTimeOffset.UnixEpoch);
            now.Add(face, DateTimeOffset.UnixEpoch);
        }
        Assert.Equal(before.MeanCalibratedConfidence, before.EstimatedAccuracy);
        Assert.Equal(before.MeanCalibratedConfidence, now.MeanCalibratedConfidence);
        Assert.True(now.EstimatedAccuracy < now.MeanCalibratedConfidence - 0.02, $"the transport estimate {now.EstimatedAccuracy} of blurred faces is below their mean confidence {now.MeanCalibratedConfidence}");
    }

    private void CleanReplays(int runs, int maxAlarmedRuns)
    {
        var (faces, _) = BundledReplay.Answers(FaceShift.Clean);
        var maxima = new double[runs];
        var alarmed = 0;
        var perStatistic = new int[DriftStatistic.Count];
        for (var run = 0; run < runs; run++)
        {
            var window = new VersionWindow("v", BundledReplay.Reference, Defaults);
            var random = new Random(1_000_000 + run);
            var any = false;
            var seen = new bool[DriftStatistic.Count];
            for (var i = 0; i < 10_000; i++)
            {
                if (!window.Add(faces[random.Next(faces.Length)], DateTimeOffset.UnixEpoch)) continue;
                for (var s = 0; s < DriftStatistic.Count; s++)
                {
                    var score = window.ScoreOf(s);
                    if (double.IsNaN(score)) continue;
                    maxima[run] = Math.Max(maxima[run], score);
                    if (score >= Defaults.AlarmScore) seen[s] = true;
                }
                any |= window.Alarms.Count > 0;
            }
            if (any) alarmed++;
            for (var s = 0; s < seen.Length; s++) if (seen[s]) perStatistic[s]++;
        }
        Array.Sort(maxima);
        output.WriteLine($"{runs} clean replays of 10,000 faces (window {Defaults.WindowFaces}, a check every {Defaults.CheckEvery} from {Defaults.MinFaces}, alarm at score {Defaults.AlarmScore}): " +
                         $"{alarmed} raised an alarm ({(double)alarmed / runs:P2}); by statistic: {string.Join(", ", DriftStatistic.Names.Select((n, s) => $"{n} {perStatistic[s]}"))}");
        output.WriteLine($"highest score per replay: median {maxima[runs / 2]:F2}, 90 % {maxima[(int)(runs * 0.9)]:F2}, 99 % {maxima[(int)(runs * 0.99)]:F2}, max {maxima[^1]:F2}");
        Assert.True(alarmed <= maxAlarmedRuns, $"{alarmed} of {runs} clean replays raised an alarm");
    }
}
