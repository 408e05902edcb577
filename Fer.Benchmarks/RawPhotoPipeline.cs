using System.Diagnostics;
using Fer.Faces;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fer.Benchmarks;

/// <summary>The photo benchmark's reference: what /predict does to a photo (decode, detect, frame and crop every face,
/// classify the crops in one model run), in a loop on as many threads as cores, with no HTTP, queue or batching across
/// requests. Built from the service's own parts (its face finder, session factory and loader).</summary>
public sealed class RawPhotoPipeline : IDisposable
{
    private readonly UltraFaceDetector detector = new(FaceDetectorFile.Bundled);
    private readonly FaceFinder finder;
    private readonly OnnxModel model;

    public RawPhotoPipeline(string modelPath)
    {
        finder = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions());
        var onnx = Options.Create(new OnnxOptions { IntraOpThreads = 1 });
        var loader = new ModelLoader(new OnnxSessionFactory(onnx, NullLogger<OnnxSessionFactory>.Instance), Options.Create(new BatchingOptions()));
        model = loader.Load(new ModelPackage("benchmark", null, File.ReadAllBytes(modelPath), null));
    }

    /// <summary>Photos through the whole pipeline for <paramref name="seconds"/> on <paramref name="lanes"/> threads, after
    /// one photo each to warm up: photos a second, each photo's latency, and the faces found.</summary>
    public (double PhotosPerSecond, List<double> Latencies, int Faces) Measure(IReadOnlyList<byte[]> photos, int lanes, double seconds)
    {
        var latencies = new List<double>[lanes];
        var faces = new int[lanes];
        var next = -1;
        var clock = new Stopwatch();
        using var warmedUp = new Barrier(lanes, _ => clock.Start());
        var threads = Enumerable.Range(0, lanes).Select(lane => new Thread(() =>
        {
            Answer(photos[lane % photos.Count]);
            warmedUp.SignalAndWait();
            latencies[lane] = [];
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var started = Stopwatch.GetTimestamp();
                faces[lane] += Answer(photos[Interlocked.Increment(ref next) % photos.Count]);
                latencies[lane].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / clock.Elapsed.TotalSeconds, all, faces.Sum());
    }

    /// <summary>One photo's faces classified; how many there were.</summary>
    private int Answer(byte[] photo)
    {
        var found = finder.Find(photo, FaceMode.Detect, long.MaxValue);
        if (found.Faces.Count == 0) return 0;
        var input = found.Faces.SelectMany(face => face.Crop.Pixels).ToArray();
        model.Run(input, found.Faces.Count);
        return found.Faces.Count;
    }

    public void Dispose()
    {
        model.Release();
        detector.Dispose();
    }
}
