using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Models;
using Fer.Inference.Telemetry;
using Fer.Registry.Errors;
using Fer.Tests.Infrastructure;
using StackExchange.Redis;

namespace Fer.Tests.Inference;

/// <summary>The model lifecycle against a real redis-server: not ready before the first model, hot swaps under load,
/// refused versions, and Redis going away.</summary>
public sealed class HotReloadTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly Dictionary<string, string?> PubSubOnly = new() { ["Inference:Models:ReconcileInterval"] = "00:05:00" };

    [Fact]
    public Task BeforeTheFirstModel_TheServiceIsAliveButNotReady_AndServesOnceOneIsPromoted() =>
        NotReadyUntilTheFirstPromotionAsync(redis.ConnectionString);

    /// <summary>Shared with the Garnet suite: the same lifecycle on both stores.</summary>
    internal static async Task NotReadyUntilTheFirstPromotionAsync(string connectionString)
    {
        var prefix = NewPrefix();
        using var publisher = new RegistryPublisher(connectionString, prefix);
        await using var host = await InferenceHost.StartWithRegistryAsync(connectionString, prefix, PubSubOnly);
        await WaitUntilAsync(() => host.Get<ModelReloader>().Status is { Reconciled: true, Subscribed: true });

        await PredictApiTests.AssertProblemAsync(await PostFaceAsync(host), HttpStatusCode.ServiceUnavailable, "no model has been published yet");
        var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("no model has been published yet", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/live")).StatusCode);

        var version = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(41)); // announced on pub/sub
        await host.WaitForVersionAsync(version);

        var response = await PostFaceAsync(host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, (await response.Content.ReadFromJsonAsync<PredictionResponse>())!.ModelVersion);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AVersionNameThatComesBackWithOtherBytes_IsLoaded_NotServedWithTheOldBytes()
    {
        var prefix = NewPrefix();
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        var first = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(61));
        await using var host = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix,
            new Dictionary<string, string?> { ["Inference:Models:ReconcileInterval"] = "00:00:00.200" });
        await host.WaitForVersionAsync(first);

        // An older backup is restored: everything after it is lost, and its counter hands out the same name again.
        var db = publisher.Redis.GetDatabase();
        var generation = await db.HashGetAllAsync(publisher.Registry.Keys.Generation);
        await using (var admin = await redis.ConnectAsync())
            await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
        await db.HashSetAsync(publisher.Registry.Keys.Generation, [.. generation.Select(e => e.Name == "next" ? new HashEntry("next", 0) : e)]);
        var second = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(62));

        Assert.Equal(first, second);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(InferenceTestModels.Onnx(62)));
        await WaitUntilAsync(() => host.Get<ModelHolder>().Current?.Description.Sha256 == sha);
    }

    [Fact]
    public async Task AReplicaThatStartsLate_CatchesUpFromTheProductionPointer()
    {
        var prefix = NewPrefix();
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        var version = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(42));

        await using var host = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, PubSubOnly);

        await host.WaitForVersionAsync(version);
    }

    [Fact]
    public async Task FivePromotionsUnderConcurrentLoad_FailNoRequest_AndEachAnswerNamesTheVersionThatComputedIt()
    {
        var prefix = NewPrefix();
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        int[] seeds = [51, 52, 53, 54, 55, 56];
        var seedOf = new Dictionary<string, int>();
        foreach (var seed in seeds) seedOf[await publisher.PublishAsync(InferenceTestModels.Onnx(seed))] = seed;
        var versions = seedOf.Keys.ToList();
        await publisher.Registry.PromoteAsync(versions[0]);
        await using var host = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, PubSubOnly);
        await host.WaitForVersionAsync(versions[0]);

        var face = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[3]);
        var answers = new ConcurrentQueue<(HttpStatusCode Status, string Body)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await host.Client.PostAsync("/predict", Jpeg(face));
                answers.Enqueue((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        })).ToList();

        await WaitUntilAsync(() => answers.Count > 16);
        foreach (var version in versions.Skip(1))
        {
            var before = answers.Count;
            await publisher.Registry.PromoteAsync(version, "hot swap under load");
            await host.WaitForVersionAsync(version);
            await WaitUntilAsync(() => answers.Count > before + 16 && answers.Any(a => a.Body.Contains(version, StringComparison.Ordinal)));
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status}: {a.Body}"));
        var predictions = answers.Select(a => JsonSerializer.Deserialize<PredictionResponse>(a.Body, JsonSerializerOptions.Web)!).ToList();
        Assert.Equal(versions.ToHashSet(), predictions.Select(p => p.ModelVersion).ToHashSet());
        // Every answer carries exactly the probabilities of the version it names (the six models disagree on this face).
        foreach (var group in predictions.GroupBy(p => p.ModelVersion))
        foreach (var prediction in group.DistinctBy(p => string.Join(",", p.Probabilities.Values)))
            PredictApiTests.AssertMatchesReference(prediction, face, seedOf[group.Key]);
        Assert.Equal(6, seeds.Select(seed => InferenceTestModels.ReferenceProbabilities(seed, Fer.Imaging.FaceImageDecoder.Decode(face).Pixels)[0]).Distinct().Count());
    }

    [Fact]
    public async Task ACorruptVersion_IsRefused_WhileTheOldModelKeepsServing()
    {
        var prefix = NewPrefix();
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        var good = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(61));
        await using var host = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, PubSubOnly);
        await host.WaitForVersionAsync(good);
        using var failures = new LoadFailureListener();

        // Bytes that are not an ONNX graph (published with a matching checksum) ...
        var garbage = await publisher.PublishAndPromoteAsync("definitely not an onnx model"u8.ToArray());
        await WaitUntilAsync(() => host.Get<ModelReloader>().Status.RefusedKey?.StartsWith(garbage + "@", StringComparison.Ordinal) == true);
        await AssertStillServesAsync(host, good);

        // ... and a good model whose stored chunk was damaged after publishing. Promotion refuses it; a pointer moved
        // past that check (by hand, or by an older trainer) is caught by the replica's own checksum.
        var damaged = await publisher.PublishAsync(InferenceTestModels.Onnx(62));
        var db = publisher.Redis.GetDatabase();
        var chunk = (byte[])(await db.StringGetAsync(publisher.Registry.Keys.Chunk(damaged, 0)))!;
        chunk[chunk.Length / 2] ^= 0xFF;
        await db.StringSetAsync(publisher.Registry.Keys.Chunk(damaged, 0), chunk);
        await Assert.ThrowsAsync<ModelPromotionRefusedException>(() => publisher.Registry.PromoteAsync(damaged));
        await db.StringSetAsync(publisher.Registry.Keys.Production, damaged);
        await host.Get<ModelReloader>().ReconcileNowAsync(damaged, CancellationToken.None);
        await WaitUntilAsync(() => host.Get<ModelReloader>().Status.RefusedKey?.StartsWith(damaged + "@", StringComparison.Ordinal) == true);
        Assert.Contains("checksum", host.Get<ModelReloader>().Status.RefusedBecause, StringComparison.Ordinal);
        await AssertStillServesAsync(host, good);

        var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(damaged, await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(failures.Reasons, r => r == "graph");
        Assert.Contains(failures.Reasons, r => r == "checksum");

        // A good version promoted afterwards is taken.
        var next = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(63));
        await host.WaitForVersionAsync(next);
    }

    [Fact]
    public async Task RedisStoppedMidRun_DoesNotBreakServing()
    {
        var own = new RedisServerFixture();
        await own.InitializeAsync();
        try
        {
            var prefix = NewPrefix();
            string version;
            using (var publisher = new RegistryPublisher(own.ConnectionString, prefix))
                version = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(71));
            await using var host = await InferenceHost.StartWithRegistryAsync(own.ConnectionString, prefix,
                new Dictionary<string, string?> { ["Inference:Models:ReconcileInterval"] = "00:00:00.200" });
            await host.WaitForVersionAsync(version);

            await own.StopAsync();
            await WaitUntilAsync(() => host.Get<ModelReloader>().Status.SourceProblem is not null);
            for (var i = 0; i < 20; i++) await AssertStillServesAsync(host, version);
            var health = await host.Client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // Redis is reported degraded, the replica stays ready
            Assert.Contains("Degraded", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await own.RestartAsync(); // back, but empty: the model in hand keeps serving
            await WaitUntilAsync(() => host.Get<ModelReloader>().Status is { SourceProblem: null, ProductionKey: null });
            await AssertStillServesAsync(host, version);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static async Task AssertStillServesAsync(InferenceHost host, string version)
    {
        var response = await PostFaceAsync(host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, (await response.Content.ReadFromJsonAsync<PredictionResponse>())!.ModelVersion);
    }

    private static async Task<HttpResponseMessage> PostFaceAsync(InferenceHost host) =>
        await host.Client.PostAsync("/predict", Jpeg(await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0])));

    private static ByteArrayContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    private static string NewPrefix() => $"fer-inference-{Guid.NewGuid():N}";

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met within {seconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>Records the reason tag of every failed model load reported on the Fer.Inference meter.</summary>
    private sealed class LoadFailureListener : IDisposable
    {
        private readonly MeterListener listener = new();

        public LoadFailureListener()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.Name && instrument.Name == "fer.inference.model.load_failures")
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag.Key == TelemetryTags.Reason) Reasons.Enqueue(tag.Value?.ToString() ?? "");
            });
            listener.Start();
        }

        public ConcurrentQueue<string> Reasons { get; } = new();

        public void Dispose() => listener.Dispose();
    }
}
