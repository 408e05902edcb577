using System.Globalization;
using System.Runtime.InteropServices;

namespace Fer.Benchmarks;

/// <summary>
/// /predict on 640x480 colour photos with one or four faces (decode, detect, crop every face, classify) over loopback
/// HTTP, against the same pipeline run raw in this process (<see cref="RawPhotoPipeline"/>, one thread a core), in
/// alternating windows, round after round, so both see the same moments of a machine whose speed drifts.
/// </summary>
public static class PhotoBenchmark
{
    private const int PhotosPerSet = 12;

    public static async Task<int> RunAsync(PhotoBenchmarkOptions options, TextWriter output)
    {
        var faces = Directory.GetDirectories(Fer2013TestFolder.Locate(options.Data)).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(4))
            .Select(File.ReadAllBytes).ToList();
        var window = options.Seconds / options.Rounds;
        var lanes = Environment.ProcessorCount;
        output.WriteLine($"machine: {lanes} logical cores, {RuntimeInformation.OSDescription}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {options.Model}; {PhotosPerSet} photos a set, {BenchmarkPhotos.Width}x{BenchmarkPhotos.Height} JPEG; per concurrency {options.Seconds} s of service and of raw, in {options.Rounds} alternating rounds of {window:0.##} s; raw on {lanes} threads"));

        using var raw = new RawPhotoPipeline(options.Model);
        var serviceOptions = InferenceBenchmarkOptions.Default with { Model = options.Model, ReplicaProcess = options.ReplicaProcess };
        await using var service = await InferenceBenchmark.StartServiceAsync(options.Model, serviceOptions);
        output.WriteLine($"service listening on http://{service.Address} ({(options.ReplicaProcess ? "a replica process of its own" : "in this process")})");
        output.WriteLine();

        var rows = new List<string>();
        var failures = 0;
        foreach (var facesPerPhoto in options.Faces)
        {
            var photos = BenchmarkPhotos.Make(faces, facesPerPhoto, PhotosPerSet, seed: facesPerPhoto);
            var requests = photos.Select(photo => LeanHttpConnection.EncodePost(service.Address, "/predict", "image/jpeg", photo)).ToList();
            foreach (var concurrency in options.Concurrency)
            {
                await PollingLoad.RunAsync(service.Address, requests, concurrency, TimeSpan.FromSeconds(3)); // warm-up
                var windows = new List<LoadWindow>();
                var rawRates = new List<double>();
                var rawLatencies = new List<double>();
                var rawFaces = 0;
                for (var round = 0; round < options.Rounds; round++)
                {
                    var (rate, latencies, found) = raw.Measure(photos, lanes, window);
                    rawRates.Add(rate);
                    rawLatencies.AddRange(latencies);
                    rawFaces += found;
                    windows.Add(await PollingLoad.RunAsync(service.Address, requests, concurrency, TimeSpan.FromSeconds(window)));
                }
                var result = InferenceBenchmark.Combine(concurrency, windows);
                failures += result.Failures;
                var rawRate = rawRates.Average();
                var perRound = windows.Select((w, i) => w.ImagesPerSecond / rawRates[i]).ToList();
                var facesFound = (double)rawFaces / rawLatencies.Count;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{facesPerPhoto} face(s), c={concurrency}: service {result.ImagesPerSecond:F1} photos/s (p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.Failures} failures of {result.Requests}); " +
                    $"raw {rawRate:F1} photos/s (p50 {InferenceBenchmark.Percentile(rawLatencies, 0.5):F1} ms, {facesFound:F2} faces found a photo); per round {string.Join(" ", perRound.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))}"));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {facesPerPhoto} | {concurrency} | {result.ImagesPerSecond:F1} | {result.P50Ms:F1} | {result.P99Ms:F1} | {rawRate:F1} | " +
                    $"{InferenceBenchmark.Percentile(rawLatencies, 0.5):F1} | {InferenceBenchmark.Percentile(rawLatencies, 0.99):F1} | {result.ImagesPerSecond / rawRate:P1} | " +
                    $"{perRound.Min():P0}-{perRound.Max():P0} | {facesFound:F2} | {result.Failures} |"));
            }
        }

        output.WriteLine();
        output.WriteLine("| faces a photo | concurrency | /predict photos/s | p50 ms | p99 ms | raw photos/s | raw p50 ms | raw p99 ms | service / raw | per round | faces found (raw) | failed |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(output.WriteLine);
        return failures == 0 ? 0 : 1;
    }
}
