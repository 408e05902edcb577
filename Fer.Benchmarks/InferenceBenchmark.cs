using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Extensions;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace Fer.Benchmarks;

/// <summary>
/// /predict over loopback HTTP (the real service, in this process, on a real Kestrel port; JPEG bodies of real FER2013
/// faces; one <see cref="LeanHttpConnection"/> a client) at several client concurrencies, next to raw in-process ONNX Runtime on the same model and session settings at
/// the batch size each concurrency can form (min(concurrency, max batch)), measured in the same run.
/// </summary>
public static class InferenceBenchmark
{
    public static async Task<int> RunAsync(InferenceBenchmarkOptions options, TextWriter output)
    {
        var modelPath = options.Model == InferenceBenchmarkOptions.TinyModel ? ExportTiny(output) : options.Model ?? ExportFerNet(options.ImageSize, output);
        var images = LoadImages(options.Data);
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}");
        output.WriteLine($"model: {modelPath}; {images.Count} FER2013 test JPEGs as request bodies; {options.Seconds} s per measurement");
        output.WriteLine($"runtime: tiered compilation {(AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var tiered) && !tiered ? "off" : "on")}, " +
            $"ReadyToRun code {(Environment.GetEnvironmentVariable("DOTNET_ReadyToRun") == "0" ? "off (as a replica runs)" : "ON: not as a replica runs; start with DOTNET_ReadyToRun=0 (dotnet run does)")}");
        output.WriteLine($"service: max batch {options.MaxBatch}, max delay {options.MaxDelayMs} ms, intra-op threads {options.IntraOpThreads} (0 = ORT default), spinning {(options.Spinning ? "on" : "off")}, concurrent batches {options.ConcurrentBatches}{(options.PinLanes ? ", lanes pinned to cores" : "")}");
        output.WriteLine();

        var batches = options.Concurrency.Select(c => Math.Min(c, options.MaxBatch)).Distinct().Order().ToList();
        var defaults = new RawSettings(0, true, 1, false);
        var raw = MeasureRaw(modelPath, images, batches, defaults, options.Seconds, output);
        var configured = new RawSettings(options.IntraOpThreads, options.Spinning, options.ConcurrentBatches, options.PinLanes);
        if (configured != defaults)
        {
            // The reference is the faster of ORT's defaults and the service's settings, so a ratio never flatters.
            var asConfigured = MeasureRaw(modelPath, images, batches, configured, options.Seconds, output);
            foreach (var batch in batches)
                if (asConfigured[batch].ImagesPerSecond > raw[batch].ImagesPerSecond) raw[batch] = asConfigured[batch];
        }

        await using var service = await StartServiceAsync(modelPath, options);
        var load = new List<InferenceLoadResult>();
        foreach (var concurrency in options.Concurrency)
        {
            var result = await MeasureServiceAsync(service.Address, images, concurrency, options.Seconds);
            load.Add(result);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"service c={concurrency}: {result.ImagesPerSecond:F1} img/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, mean batch {result.MeanBatch:F1}, " +
                $"median model run {result.P50ModelMs:F1} ms and server total {result.P50ServerMs:F1} ms (from the response timings), {result.Failures} failures of {result.Requests}"));
        }

        output.WriteLine();
        output.WriteLine("| concurrency | /predict img/s | p50 ms | p99 ms | mean batch formed | raw ORT batch | raw ORT img/s | raw ms/batch | service / raw | failed |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in load)
        {
            var batch = Math.Min(result.Concurrency, options.MaxBatch);
            var reference = raw[batch];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Concurrency} | {result.ImagesPerSecond:F1} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.MeanBatch:F1} | {batch} | " +
                $"{reference.ImagesPerSecond:F1} | {reference.MedianBatchMilliseconds:F1} | {result.ImagesPerSecond / reference.ImagesPerSecond:P0} | {result.Failures} |"));
        }
        if (load.FirstOrDefault(r => r.Concurrency == 1) is { } single && raw.TryGetValue(1, out var one))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nconcurrency 1: p50 {single.P50Ms:F1} ms over HTTP vs {one.MedianBatchMilliseconds:F1} ms for the model run alone: the service adds {single.P50Ms - one.MedianBatchMilliseconds:F1} ms (decode, HTTP, queue)"));
        return load.Sum(r => r.Failures) == 0 ? 0 : 1;
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
        var root = data ?? ProbeBatch.LocateFer2013(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException("no ../shared/data/fer2013 beside the repository; pass --data DIR");
        return Directory.GetDirectories(Path.Combine(root, "test")).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(10))
            .Select(File.ReadAllBytes).ToList();
    }

    private sealed record RawSettings(int IntraOpThreads, bool Spinning, int ConcurrentBatches, bool PinLanes);

    /// <summary>The service's own session factory and loader, run directly, batch after batch (in
    /// <see cref="RawSettings.ConcurrentBatches"/> threads side by side).</summary>
    private static Dictionary<int, Measurement> MeasureRaw(string modelPath, List<byte[]> images, List<int> batches,
        RawSettings settings, double seconds, TextWriter output)
    {
        var factory = new OnnxSessionFactory(Options.Create(new OnnxOptions { IntraOpThreads = settings.IntraOpThreads, AllowSpinning = settings.Spinning }), NullLogger<OnnxSessionFactory>.Instance);
        var loader = new ModelLoader(factory, Options.Create(new BatchingOptions { MaxBatchSize = batches.Max() }));
        var model = loader.Load(new ModelPackage("benchmark", null, File.ReadAllBytes(modelPath), null));
        var crops = images.Select(bytes => FaceImageDecoder.Decode(bytes).Pixels).ToList();
        var results = new Dictionary<int, Measurement>();
        try
        {
            foreach (var batch in batches)
            {
                var input = Enumerable.Range(0, batch).SelectMany(i => crops[i % crops.Count]).ToArray();
                results[batch] = Throughput.MeasureConcurrent(() => model.Run(input, batch), batch, settings.ConcurrentBatches, seconds,
                    settings.PinLanes ? lane => CorePinning.PinCurrentThread(lane) : null);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"raw ORT batch {batch} (intra-op threads {settings.IntraOpThreads}, spinning {(settings.Spinning ? "on" : "off")}, {settings.ConcurrentBatches} at once{(settings.PinLanes ? ", pinned" : "")}): " +
                    $"{results[batch].ImagesPerSecond:F1} img/s, {results[batch].MedianBatchMilliseconds:F1} ms per batch"));
            }
        }
        finally
        {
            model.Release();
        }
        return results;
    }

    private static async Task<RunningService> StartServiceAsync(string modelPath, InferenceBenchmarkOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Inference:Models:File"] = modelPath,
            ["Inference:Batching:MaxBatchSize"] = options.MaxBatch.ToString(CultureInfo.InvariantCulture),
            ["Inference:Batching:MaxDelay"] = TimeSpan.FromMilliseconds(options.MaxDelayMs).ToString("c", CultureInfo.InvariantCulture),
            ["Inference:Batching:QueueCapacity"] = "4096",
            ["Inference:MaxImagesPerRequest"] = Math.Min(16, options.MaxBatch).ToString(CultureInfo.InvariantCulture),
            ["Inference:Onnx:IntraOpThreads"] = options.IntraOpThreads.ToString(CultureInfo.InvariantCulture),
            ["Inference:Onnx:AllowSpinning"] = options.Spinning ? "true" : "false",
            ["Inference:Batching:ConcurrentBatches"] = options.ConcurrentBatches.ToString(CultureInfo.InvariantCulture),
            ["Inference:Batching:PinLanes"] = options.PinLanes ? "true" : "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddInferenceServices();
        var app = builder.Build();
        app.UseProblemDetailsErrors();
        app.MapDefaultEndpoints();
        app.MapInferenceApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var holder = app.Services.GetRequiredService<ModelHolder>();
        var deadline = Stopwatch.StartNew();
        while (holder.Current is null)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the service did not load the model in 5 minutes");
            await Task.Delay(50);
        }
        var uri = new Uri(address);
        return new RunningService(app, new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
    }

    private static async Task<InferenceLoadResult> MeasureServiceAsync(IPEndPoint server, List<byte[]> images, int concurrency, double seconds)
    {
        // Five seconds of warm-up at this concurrency (connections, the batch shapes, and tiered JIT, which took 4-13 % of
        // the CPU in the first seconds of a 1-second warm-up), then the measured window.
        await LoadAsync(server, images, concurrency, TimeSpan.FromSeconds(5));
        var (elapsed, latencies, timings, failures) = await LoadAsync(server, images, concurrency, TimeSpan.FromSeconds(seconds));
        return new InferenceLoadResult(concurrency, latencies.Count + failures, failures, latencies.Count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), timings.Count == 0 ? 0 : timings.Average(t => t.Batch),
            Percentile(timings.Select(t => t.ModelMs).ToList(), 0.5), Percentile(timings.Select(t => t.ServerMs).ToList(), 0.5));
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
    }

    private static async Task<(TimeSpan Elapsed, List<double> Latencies, List<(int Batch, double ModelMs, double ServerMs)> Timings, int Failures)> LoadAsync(
        IPEndPoint server, List<byte[]> images, int concurrency, TimeSpan duration)
    {
        var requests = images.Select(image => LeanHttpConnection.EncodePost(server, "/predict", "image/jpeg", image)).ToList();
        var latencies = new ConcurrentBag<double>();
        var timings = new ConcurrentBag<(int Batch, double ModelMs, double ServerMs)>();
        var failures = 0;
        var connections = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => LeanHttpConnection.ConnectAsync(server)));
        var clock = Stopwatch.StartNew();
        var workers = connections.Select((connection, worker) => Task.Run(async () =>
        {
            using var _ = connection;
            for (var i = worker; clock.Elapsed < duration; i += concurrency)
            {
                var started = Stopwatch.GetTimestamp();
                var (status, body) = await connection.SendAsync(requests[i % requests.Count]);
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (status != 200)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                latencies.Add(milliseconds);
                using var json = JsonDocument.Parse(body);
                var reported = json.RootElement.GetProperty("timings");
                timings.Add((reported.GetProperty("batchSize").GetInt32(), reported.GetProperty("inferenceMs").GetDouble(), reported.GetProperty("totalMs").GetDouble()));
            }
        })).ToList();
        await Task.WhenAll(workers);
        return (clock.Elapsed, latencies.ToList(), timings.ToList(), failures);
    }

    private sealed record RunningService(WebApplication App, IPEndPoint Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
