using System.Globalization;
using Fer.Inference.Rollouts;
using Fer.Registry;
using Fer.Registry.Extensions;
using Fer.Registry.Model;
using Fer.Registry.Rollouts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.Benchmarks;

/// <summary>
/// What shadow mode costs the client: /predict at one concurrency against the real service in this process, serving
/// production from a real registry (redis-server), with no rollout and with production's twin (the same model under
/// another version, so its shadow work is as heavy as production's) in shadow at the default share, in alternating
/// windows (off, on, off, on, ...) so that both see the same moments of a busy machine. Prints the client-side p99 of
/// each mode and their ratio, with the shadow work actually done (faces compared) and dropped. With
/// <see cref="ShadowCostOptions.QueueRuleOnly"/> the replica's shadow budget is opened wide, which leaves the queue rule
/// that came before it: the reference the budget is measured against.
/// </summary>
public static class ShadowCostBenchmark
{
    private const string KeyPrefix = "fer-shadow-cost";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(ShadowCostOptions options, TextWriter output)
    {
        var onnx = await File.ReadAllBytesAsync(options.Model);
        var images = Directory.GetDirectories(Fer2013TestFolder.Locate(options.Data)).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(10))
            .Select(File.ReadAllBytes).ToList();
        var window = TimeSpan.FromSeconds(options.Seconds / options.Rounds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} logical cores; model {options.Model}; {images.Count} FER2013 test JPEGs as request bodies; concurrency {options.Concurrency}; " +
            $"{options.Seconds} s in each mode, in {options.Rounds} alternating pairs of {window.TotalSeconds:0.#} s windows; shadow share {options.Share:P0}; " +
            $"admission {(options.QueueRuleOnly ? "by the queue rule only" : options.CpuShare is { } budget ? $"by a shadow budget of {budget:P1} of the cores" : "by the shadow budget (the replica's defaults)")}; load average {LoadAverage()}"));

        using var redis = await RedisServerProcess.StartAsync(TimeSpan.FromSeconds(30));
        using var registryHost = RegistryHost(redis.ConnectionString);
        var registry = registryHost.Services.GetRequiredService<ModelRegistry>();
        var rollouts = registryHost.Services.GetRequiredService<RolloutRegistry>();
        var production = (await registry.PublishAsync(new ModelPublishRequest { Onnx = onnx, ImageSize = 48 })).Version;
        await registry.PromoteAsync(production, "shadow-cost benchmark");
        var twin = (await registry.PublishAsync(new ModelPublishRequest { Onnx = onnx, ImageSize = 48 })).Version;

        // The replica's own defaults (batching, threads) as the AppHost runs it, reading the registry.
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Registry:KeyPrefix"] = KeyPrefix,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (options.QueueRuleOnly)
        {
            // A budget of all the cores' time, always idle enough and no limit on concurrent work: nothing but the queue rule refuses.
            settings[$"{ShadowAdmissionOptions.SectionName}:{nameof(ShadowAdmissionOptions.CpuShare)}"] = "1";
            settings[$"{ShadowAdmissionOptions.SectionName}:{nameof(ShadowAdmissionOptions.IdleBelow)}"] = "1";
            settings[$"{ShadowAdmissionOptions.SectionName}:{nameof(ShadowAdmissionOptions.MaxInFlight)}"] = "1024";
        }
        if (options.CpuShare is { } share)
            settings[$"{ShadowAdmissionOptions.SectionName}:{nameof(ShadowAdmissionOptions.CpuShare)}"] = share.ToString(CultureInfo.InvariantCulture);
        var (app, address) = await InProcessReplica.StartAsync(settings);
        await using var _ = app;
        var candidate = app.Services.GetRequiredService<CandidateModel>();
        var evidence = app.Services.GetRequiredService<RolloutEvidence>();
        var admission = app.Services.GetRequiredService<ShadowAdmission>();
        output.WriteLine($"service listening on http://{address}: production {production}, twin {twin}");
        var requests = images.Select(image => LeanHttpConnection.EncodePost(address, "/predict", "image/jpeg", image)).ToList();
        await PollingLoad.RunAsync(address, requests, options.Concurrency, TimeSpan.FromSeconds(5)); // warm-up

        var off = new List<LoadWindow>();
        var on = new List<LoadWindow>();
        VersionEvidence? shadowWork = null;
        for (var round = 0; round < options.Rounds; round++)
        {
            off.Add(await PollingLoad.RunAsync(address, requests, options.Concurrency, window));

            var rollout = await rollouts.StartAsync(twin, [new RolloutStep(RolloutMode.Shadow, options.Share, int.MaxValue, TimeSpan.FromDays(1))],
                reason: "shadow-cost benchmark");
            await Until(() => candidate.Target?.RolloutId == rollout.Id && candidate.Holder.Current is not null, "the twin to be loaded in shadow");
            on.Add(await PollingLoad.RunAsync(address, requests, options.Concurrency, window));
            var shadow = evidence.Snapshot(RolloutEvidence.StepOf(candidate.Target!)).FirstOrDefault(e => e.Version == twin);
            if (shadow is not null) shadowWork = shadowWork is null ? shadow : shadowWork.Plus(shadow);

            await rollouts.AbortAsync("shadow-cost window over");
            await Until(() => candidate.Target is null && candidate.Holder.Current is null, "the twin to leave service");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: p99 off {P99(off[^1])}, on {P99(on[^1])} ms; {shadow?.Requests ?? 0} requests ({shadow?.ComparedFaces ?? 0} faces) shadowed, " +
                $"{shadow?.ShadowDropped ?? 0} dropped; production's lanes {admission.ProductionUtilisation:P0} busy; load average {LoadAverage()}"));
        }

        var without = InferenceBenchmark.Combine(options.Concurrency, off);
        var with = InferenceBenchmark.Combine(options.Concurrency, on);
        output.WriteLine();
        // Where the client's time goes, from the timings each response carries: production's batches and model runs, and
        // the server's whole time (queue wait included); the rest is HTTP and the client.
        output.WriteLine("| mode | requests | req/s | p50 ms | p99 ms | production's mean batch | its model run p50 ms | server time p50 / p99 ms | failed |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, result, windows) in new[] { ("no rollout", without, off), ($"shadow {options.Share:P0}", with, on) })
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {result.Requests} | {result.ImagesPerSecond:F1} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.MeanBatch:F1} | {result.P50ModelMs:F1} | " +
                $"{result.P50ServerMs:F1} / {InferenceBenchmark.Percentile([.. windows.SelectMany(w => w.Timings).Select(t => t.ServerMs)], 0.99):F1} | {result.Failures} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nshadow / none at concurrency {options.Concurrency}: p99 {with.P99Ms / without.P99Ms:F3}x ({(with.P99Ms / without.P99Ms - 1):+0.0%;-0.0%}), " +
            $"p50 {with.P50Ms / without.P50Ms:F3}x, throughput {with.ImagesPerSecond / without.ImagesPerSecond:F3}x; " +
            $"shadow work: {shadowWork?.Requests ?? 0} requests shadowed ({(double)(shadowWork?.Requests ?? 0) / Math.Max(1, with.Requests):P0} of those answered), " +
            $"{shadowWork?.ComparedFaces ?? 0} faces compared, {shadowWork?.ShadowDropped ?? 0} dropped; the twin's own runs p50 {Ms(shadowWork?.Latency(0.5))}, p95 {Ms(shadowWork?.Latency(0.95))} ms; " +
            $"{(shadowWork?.Requests ?? 0) / options.Seconds:F1} shadowed requests/s, so the default shadow step's {Rollout.DefaultSteps[0].MinRequests} requests take " +
            $"{Rollout.DefaultSteps[0].MinRequests / Math.Max(0.001, (shadowWork?.Requests ?? 0) / options.Seconds):F0} s at this load"));
        // Each pair of neighbouring windows shares the machine's moment; their median ratio is less at the mercy of one stall.
        var pairRatios = off.Zip(on, (a, b) => InferenceBenchmark.Percentile([.. b.Latencies], 0.99) / InferenceBenchmark.Percentile([.. a.Latencies], 0.99)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"p99 shadow / none per pair of windows: {string.Join(", ", pairRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; median {Median(pairRatios):F3}x"));
        return without.Failures + with.Failures == 0 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(double? seconds) => seconds is { } s ? (s * 1000).ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string P99(LoadWindow window) =>
        InferenceBenchmark.Percentile([.. window.Latencies], 0.99).ToString("F1", CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static IHost RegistryHost(string redis)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Registry:KeyPrefix"] = KeyPrefix,
        });
        builder.AddModelRegistry();
        return builder.Build();
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Settle);
        while (!condition())
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"waited {Settle.TotalSeconds} s for {what}");
            await Task.Delay(20);
        }
    }
}
