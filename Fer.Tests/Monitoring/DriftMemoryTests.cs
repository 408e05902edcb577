using Fer.Benchmarks;
using Fer.Inference.Monitoring;
using Fer.Tests.Inference;
using Xunit.Abstractions;

namespace Fer.Tests.Monitoring;

/// <summary>The statistics a replica keeps are bounded: at most <see cref="DriftOptions.MaxVersions"/> windows of fixed
/// size, whatever the number of faces or versions.</summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class DriftMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DriftMonitor_HoldsAtMostMaxVersionsWindowsOfFixedSize_AfterOneMillionFacesOfTwentyVersions()
    {
        await using var replica = await InferenceHost.StartWithFileAsync(BundledReplay.ModelPath);
        var monitor = replica.Get<DriftMonitor>();
        var options = new DriftOptions();
        var (faces, _) = BundledReplay.Answers(FaceShift.Clean);
        var perWindow = new VersionWindow("v", BundledReplay.Reference, options).BytesHeld;

        Feed(monitor, faces, versions: 20, perVersion: 1000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        Feed(monitor, faces, versions: 20, perVersion: 50_000);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"{monitor.VersionsWatched} windows of {perWindow:N0} bytes: {monitor.BytesHeld:N0} bytes; managed heap {before:N0} -> {after:N0} after 1,000,000 more faces");
        Assert.Equal(options.MaxVersions, monitor.VersionsWatched);
        Assert.Equal(options.MaxVersions * perWindow, monitor.BytesHeld);
        Assert.True(perWindow < 20 * 1024, $"a window holds {perWindow} bytes");
        Assert.True(after - before < 1024 * 1024, $"the heap grew by {after - before:N0} bytes over a million faces");
    }

    private static void Feed(DriftMonitor monitor, FaceObservation[] faces, int versions, int perVersion)
    {
        var random = new Random(7);
        var batch = new FaceObservation[100];
        for (var v = 0; v < versions; v++)
        for (var n = 0; n < perVersion; n += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++) batch[i] = faces[random.Next(faces.Length)];
            monitor.Record($"v{v:D4}", BundledReplay.Reference, batch);
        }
    }
}
