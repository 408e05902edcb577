using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using static TorchSharp.torch;

namespace Fer.Benchmarks;

/// <summary>
/// /predict over loopback HTTP (the real service, in this process or with <c>--replica process</c> in a process of its own as
/// a replica runs (<see cref="ReplicaProcess"/>), on a real Kestrel port; JPEG bodies of real FER2013
/// faces; one <see cref="LeanHttpConnection"/> a client, all driven by <see cref="PollingLoad"/> from one thread) at
/// several client concurrencies, next to raw in-process ONNX Runtime on the same model (<see cref="RawOnnxRuntime"/>) at
/// the batch size each concurrency can form (min(concurrency, max batch)) and at min(concurrency, 32), whichever is faster. The two are measured in alternating
/// windows, raw then service, round after round, so that both see the same moments of a machine whose speed drifts (raw
/// ORT alone moved between 864 and 1,473 img/s from one 10-second window to the next here).
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>The batch of issue 14's raw reference; measured as well when the service's max batch is smaller.</summary>
    private const int ReferenceBatch = 32;

    public static async Task<int> RunAsync(InferenceBenchmarkOptions options, TextWriter output)
    {
        var modelPath = options.Model == InferenceBenchmarkOptions.TinyModel ? ExportTiny(output) : options.Model ?? ExportFerNet(options.ImageSize, output);
        var images = LoadImages(options.Data);
        var window = options.Seconds / options.Rounds;
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {modelPath}; {images.Count} FER2013 test JPEGs as request bodies; per concurrency {options.Seconds} s of service and of each raw setting, in {options.Rounds} alternating rounds of {window:0.##} s"));
        output.WriteLine($"runtime: tiered compilation {(AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var tiered) && !tiered ? "off" : "on")}, " +
            $"ReadyToRun code {(Environment.GetEnvironmentVariable("DOTNET_ReadyToRun") == "0" ? "off (as a replica runs)" : "ON: not as a replica runs; start with DOTNET_ReadyToRun=0 (dotnet run does)")}");
        var lanes = new BatchingOptions { ConcurrentBatches = options.ConcurrentBatches }.LanesFor(options.IntraOpThreads, Environment.ProcessorCount);
        output.WriteLine($"service: max batch {options.MaxBatch}, max delay {options.MaxDelayMs} ms, intra-op threads {options.IntraOpThreads} (0 = ORT default), spinning {(options.Spinning ? "on" : "off")}, " +
            $"concurrent batches {lanes}{(options.ConcurrentBatches == 0 ? " (automatic: cores / intra-op threads)" : "")}{(options.PinLanes ? ", lanes pinned to cores" : "")}; " +
            (options.ReplicaProcess ? "in a replica process of its own (Fer.Inference, ReadyToRun code off)" : "in this process"));
        output.WriteLine();

        // The reference is the faster of ORT's defaults and the service's settings, so a ratio never flatters.
        var crops = images.Select(bytes => FaceImageDecoder.Decode(bytes).Pixels).ToList();
        var settings = new[] { RawSettings.OnnxRuntimeDefaults, new RawSettings(options.IntraOpThreads, options.Spinning, lanes, options.PinLanes) };
        var references = settings.Distinct().Select(s => new RawOnnxRuntime(modelPath, crops, Math.Max(options.MaxBatch, ReferenceBatch), s)).ToList();
        try
        {
            await using var service = await StartServiceAsync(modelPath, options);
            output.WriteLine($"service listening on http://{service.Address}");
            var requests = images.Select(image => LeanHttpConnection.EncodePost(service.Address, "/predict", "image/jpeg", image)).ToList();
            var rows = new List<string>();
            string? alone = null;
            var failures = 0;
            foreach (var concurrency in options.Concurrency)
            {
                var batches = new[] { Math.Min(concurrency, options.MaxBatch), Math.Min(concurrency, ReferenceBatch) }.Distinct().ToList();
                // Five seconds of warm-up at this concurrency (connections, the batch shapes, and, where it is on, tiered JIT).
                await PollingLoad.RunAsync(service.Address, requests, concurrency, TimeSpan.FromSeconds(5));
                var raw = references.SelectMany(reference => batches.Select(batch => (Reference: reference, Batch: batch)))
                    .ToDictionary(key => key, _ => new List<Measurement>());
                var windows = new List<LoadWindow>();
                for (var round = 0; round < options.Rounds; round++)
                {
                    foreach (var (key, measured) in raw) measured.Add(key.Reference.Measure(key.Batch, window));
                    windows.Add(await PollingLoad.RunAsync(service.Address, requests, concurrency, TimeSpan.FromSeconds(window)));
                }

                foreach (var ((reference, batch), measured) in raw)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"raw ORT batch {batch} ({reference.Settings}): {measured.Average(m => m.ImagesPerSecond):F1} img/s, {Median(measured.Select(m => m.MedianBatchMilliseconds)):F1} ms per batch"));
                var ((_, bestBatch), best) = raw.MaxBy(pair => pair.Value.Average(m => m.ImagesPerSecond));
                var result = Combine(concurrency, windows);
                failures += result.Failures;
                var rawRate = best.Average(m => m.ImagesPerSecond);
                var rawBatchMs = Median(best.Select(m => m.MedianBatchMilliseconds));
                var perRound = windows.Select((w, i) => w.ImagesPerSecond / best[i].ImagesPerSecond).ToList();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"service c={concurrency}: {result.ImagesPerSecond:F1} img/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, mean batch {result.MeanBatch:F1}, " +
                    $"median model run {result.P50ModelMs:F1} ms and server total {result.P50ServerMs:F1} ms (from the response timings), {result.Failures} failures of {result.Requests}; " +
                    $"service / raw per round {string.Join(" ", perRound.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))}"));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {concurrency} | {result.ImagesPerSecond:F1} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.MeanBatch:F1} | {bestBatch} | " +
                    $"{rawRate:F1} | {rawBatchMs:F1} | {result.ImagesPerSecond / rawRate:P1} | {perRound.Min():P0}-{perRound.Max():P0} | {result.Failures} |"));
                if (concurrency == 1)
                    alone = string.Create(CultureInfo.InvariantCulture,
                        $"\nconcurrency 1: p50 {result.P50Ms:F1} ms over HTTP vs {rawBatchMs:F1} ms for the model run alone: the service adds {result.P50Ms - rawBatchMs:F1} ms (decode, HTTP, queue)");
            }

            output.WriteLine();
            output.WriteLine("| concurrency | /predict img/s | p50 ms | p99 ms | mean batch formed | raw ORT batch | raw ORT img/s | raw ms/batch | service / raw | per round | failed |");
            output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            rows.ForEach(output.WriteLine);
            if (alone is not null) output.WriteLine(alone);
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            references.ForEach(reference => reference.Dispose());
        }
    }

    private static string ExportFerNet(int imageSize, TextWriter output) => Export(
        () => new FerNet(imageSize),
        model => OnnxModelInfo.ForFerNet($"benchmark-{imageSize}", imageSize, new Dictionary<string, double>(), "none", DateTimeOffset.UtcNow),
        $"fernet-{imageSize}.onnx",
        $"exported FerNet (EfficientNetV2-S, S={imageSize}, random weights: speed does not depend on them) with our exporter", output);

    private static string ExportTiny(TextWriter output) => Export(
        () => new Cnn48([2, 2, 2, 2], [1, 1, 1, 1], hidden: 8),
        model => OnnxModelInfo.For(model, "tiny", new Dictionary<string, double>(), "none", DateTimeOffset.UtcNow),
        "tiny.onnx",
        "exported a tiny Cnn48 (2-2-2-2, nearly free): what is left is the HTTP path's own cost", output);

    /// <summary>Builds a network with seeded random weights and writes it with our exporter to a temporary file.</summary>
    private static string Export<TModel>(Func<TModel> create, Func<TModel, OnnxModelInfo> describe, string fileName, string message,
        TextWriter output) where TModel : FaceNetwork
    {
        TorchRuntime.Initialize();
        manual_seed(1);
        using var model = create();
        model.eval();
        var path = Path.Combine(Directory.CreateTempSubdirectory("fer-benchmark-").FullName, fileName);
        File.WriteAllBytes(path, OnnxExporter.Export(model, describe(model)));
        output.WriteLine(message);
        return path;
    }

    private static List<byte[]> LoadImages(string? data)
    {
        return Directory.GetDirectories(Fer2013TestFolder.Locate(data)).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(10))
            .Select(File.ReadAllBytes).ToList();
    }

    /// <summary>The real service on a free loopback port, in this process or (with <c>--replica process</c>) one of its own, once it serves the model.</summary>
    internal static async Task<RunningService> StartServiceAsync(string modelPath, InferenceBenchmarkOptions options)
    {
        var settings = ServiceSettings(modelPath, options);
        if (options.ReplicaProcess)
        {
            var replica = await ReplicaProcess.StartAsync(settings, TimeSpan.FromMinutes(5));
            return new RunningService(replica, replica.Address);
        }

        var (app, address) = await InProcessReplica.StartAsync(settings);
        return new RunningService(app, address);
    }

    /// <summary>The service's configuration, the same whether it runs in this process or in one of its own.</summary>
    private static Dictionary<string, string?> ServiceSettings(string modelPath, InferenceBenchmarkOptions options) => new()
    {
        ["Inference:Models:File"] = Path.GetFullPath(modelPath), // a replica process starts in another folder
        ["Inference:Batching:MaxBatchSize"] = options.MaxBatch.ToString(CultureInfo.InvariantCulture),
        ["Inference:Batching:MaxDelay"] = TimeSpan.FromMilliseconds(options.MaxDelayMs).ToString("c", CultureInfo.InvariantCulture),
        ["Inference:Batching:QueueCapacity"] = "4096",
        ["Inference:MaxImagesPerRequest"] = Math.Min(16, options.MaxBatch).ToString(CultureInfo.InvariantCulture),
        ["Inference:Onnx:IntraOpThreads"] = options.IntraOpThreads.ToString(CultureInfo.InvariantCulture),
        ["Inference:Onnx:AllowSpinning"] = options.Spinning ? "true" : "false",
        ["Inference:Batching:ConcurrentBatches"] = options.ConcurrentBatches.ToString(CultureInfo.InvariantCulture),
        ["Inference:Batching:PinLanes"] = options.PinLanes ? "true" : "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    internal static InferenceLoadResult Combine(int concurrency, List<LoadWindow> windows)
    {
        var latencies = windows.SelectMany(w => w.Latencies).ToList();
        var timings = windows.SelectMany(w => w.Timings).ToList();
        var failures = windows.Sum(w => w.Failures);
        return new InferenceLoadResult(concurrency, latencies.Count + failures, failures, latencies.Count / windows.Sum(w => w.Elapsed.TotalSeconds),
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), timings.Count == 0 ? 0 : timings.Average(t => t.Batch),
            Percentile(timings.Select(t => t.ModelMs).ToList(), 0.5), Percentile(timings.Select(t => t.ServerMs).ToList(), 0.5));
    }

    private static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 0.5);

    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
    }

    internal sealed record RunningService(IAsyncDisposable Host, IPEndPoint Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
