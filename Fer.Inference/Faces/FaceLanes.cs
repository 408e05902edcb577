using System.Collections.Concurrent;
using System.Diagnostics;
using Fer.Faces;
using Fer.Faces.Finding;
using Fer.Imaging;
using Fer.Inference.Telemetry;

namespace Fer.Inference.Faces;

/// <summary>
/// Decoding, face detection and cropping on threads of their own (one a core), as the classifier runs on its lanes: an
/// image costs milliseconds here (a 640x480 photo), which would otherwise hold a thread that HTTP needs, and more images
/// in flight than cores would only make each wait longer. Requests queue for the next free lane; the memory budget
/// reserved before they queue bounds what waits.
/// </summary>
public sealed class FaceLanes : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread[] threads;
    private readonly FaceFinder finder;

    public FaceLanes(FaceFinder finder)
    {
        this.finder = finder;
        threads = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => new Thread(Loop) { Name = $"fer-face-lane-{i}", IsBackground = true })
            .ToArray();
        foreach (var thread in threads) thread.Start();
    }

    public FaceFinder Finder => finder;

    /// <summary>The faces of one image as <paramref name="mode"/> says, found on a lane; a span of the caller's trace.</summary>
    public Task<FoundFaces> FindAsync(byte[] image, ImageSize size, FaceMode mode, long maxPixels, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<FoundFaces>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = Activity.Current?.Context ?? default;
        work.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                done.TrySetResult(Find(image, size, mode, maxPixels, parent));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, cancellationToken);
        return done.Task;
    }

    /// <summary>The faces of one image, found on the calling thread, as a span of <paramref name="parent"/> (the current
    /// activity when default): for an image that needs no detector, where a lane would only add two thread switches.</summary>
    public FoundFaces Find(byte[] image, ImageSize size, FaceMode mode, long maxPixels, ActivityContext parent = default)
    {
        using var activity = InferenceTelemetry.ActivitySource.StartActivity(TelemetryTags.FindFacesSpan, ActivityKind.Internal, parent);
        activity?.SetTag("image.bytes", image.Length);
        try
        {
            var found = finder.Find(image, size, mode, maxPixels);
            activity?.SetTag(TelemetryTags.FaceMode, found.Mode.Name()); // what was done: detect takes small images whole
            activity?.SetTag("image.width", found.ImageWidth);
            activity?.SetTag("image.height", found.ImageHeight);
            activity?.SetTag(TelemetryTags.FaceCount, found.Faces.Count);
            return found;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Runs the detector once on a blank frame on every lane, together: each lane's input buffer, its share of
    /// ONNX Runtime's and the allocator's memory then exist before the first photo, so neither its time nor a burst's
    /// aftermath counts them.</summary>
    public void WarmUp()
    {
        var blank = new GrayImage(new byte[finder.Detector.InputWidth * finder.Detector.InputHeight], finder.Detector.InputWidth, finder.Detector.InputHeight);
        using var together = new Barrier(threads.Length);
        using var done = new CountdownEvent(threads.Length);
        for (var i = 0; i < threads.Length; i++)
            work.Add(() =>
            {
                together.SignalAndWait(); // every lane takes one, none takes two
                finder.Find(blank);
                done.Signal();
            });
        done.Wait();
    }

    private void Loop()
    {
        foreach (var action in work.GetConsumingEnumerable()) action();
    }

    public void Dispose()
    {
        work.CompleteAdding();
        foreach (var thread in threads) thread.Join();
        work.Dispose();
    }
}
