using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fer.Contracts;
using Fer.Registry;
using Fer.Trainer.Jobs;

namespace Fer.Tests.Trainer.Apis;

/// <summary>The training-jobs API end to end: real HTTP on loopback, real Redis, real TorchSharp training on a few
/// hundred FER2013 images at 64 px.</summary>
[Collection(TrainerCollection.Name)]
public sealed class TrainApiTests(TrainerFixture fixture)
{
    [Fact]
    public async Task PostTrain_RunsTheJob_PublishesItsOnnxWithMetrics_AndPromotesIt_WhileASecondPostIs409()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var client = trainer.Client;

        var response = await client.PostAsJsonAsync("/train", TrainerTestApp.FastJob());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/train/{id}", response.Headers.Location?.OriginalString);

        var second = await client.PostAsJsonAsync("/train", TrainerTestApp.FastJob());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var conflict = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, conflict.GetProperty("id").GetString());

        var job = await trainer.WaitUntilFinishedAsync(id);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", $"the job did not succeed: {job}");
        var result = job.GetProperty("result");
        var version = result.GetProperty("version").GetString()!;
        Assert.True(result.GetProperty("promoted").GetBoolean(), $"not promoted: {result}");
        Assert.Contains("no production version yet", result.GetProperty("promotionReason").GetString());
        Assert.Equal(1, job.GetProperty("completedEpochs").GetInt32());
        Assert.Equal(1, job.GetProperty("latest").GetProperty("epoch").GetInt32());
        Assert.True(job.GetProperty("timings").GetProperty("runningSeconds").GetDouble() > 0);
        Assert.True(job.GetProperty("timings").GetProperty("stageSeconds").TryGetProperty("phase1", out _), job.ToString());

        // The registry holds the version with the job's metrics, and it is production.
        var registry = trainer.Service<ModelRegistry>();
        Assert.Equal(version, await registry.GetProductionVersionAsync());
        var info = await registry.GetMetadataAsync(version);
        var validationF1 = ModelMetrics.TryParse(info.MetricsJson)?.ValMacroF1;
        Assert.NotNull(validationF1);
        Assert.InRange(validationF1.Value, 0, 1);
        Assert.Equal(result.GetProperty("validationMacroF1").GetDouble(), validationF1.Value, 10);
        Assert.Equal(64, info.ImageSize);
        Assert.False(string.IsNullOrEmpty(info.DatasetFingerprint));
        // Issue 27: the version carries its validation set's reference and calibration, for the replicas' drift tests.
        var reference = ModelMetrics.TryParse(info.MetricsJson)?.Monitoring;
        Assert.NotNull(reference);
        Assert.True(reference.Count > 0 && reference.Classes.Sum() == reference.Count, info.MetricsJson);
        Assert.InRange(reference.Temperature, 0.125, 8);
        Assert.Equal(1, reference.ClassShares!.Sum(), 3);
        Assert.InRange(reference.TransportTemperature!.Value, 0.25, 4);

        var model = await client.GetFromJsonAsync<JsonElement>($"/models/{version}");
        Assert.True(model.GetProperty("isProduction").GetBoolean());
        Assert.Equal(validationF1.Value, model.GetProperty("metrics").GetProperty("valMacroF1").GetDouble(), 10);
        Assert.Equal(id, model.GetProperty("trainingOptions").GetProperty("jobId").GetString());

        // The ONNX download is the published file: an ONNX protobuf that names its producer, with the recorded SHA-256.
        var onnx = await client.GetAsync($"/models/{version}/onnx");
        Assert.Equal(HttpStatusCode.OK, onnx.StatusCode);
        var bytes = await onnx.Content.ReadAsByteArrayAsync();
        Assert.Equal(info.SizeBytes, bytes.Length);
        Assert.Equal(info.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(info.Sha256, onnx.Headers.GetValues("X-Fer-Model-Sha256").Single());

        // The job is listed, and a new job may start now.
        var list = await client.GetFromJsonAsync<JsonElement>("/train");
        Assert.Equal(id, list.GetProperty("jobs")[0].GetProperty("id").GetString());

        // Issue 15, finding 8: open answers name the data by its folder, never by the server's path.
        var dataFolder = Path.GetFileName(fixture.Data.Root.TrimEnd('/'));
        Assert.Equal(dataFolder, job.GetProperty("dataPath").GetString());
        var runs = trainer.Service<TrainerPaths>().RunsDirectory;
        foreach (var answer in new[] { $"/train/{id}", "/train", $"/models/{version}" })
        {
            var body = await client.GetStringAsync(answer);
            Assert.DoesNotContain(Path.GetDirectoryName(fixture.Data.Root.TrimEnd('/'))!, body, StringComparison.Ordinal);
            Assert.DoesNotContain(runs, body, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(runs, info.MetricsJson + info.TrainingOptionsJson, StringComparison.Ordinal);

        // promote = never: published, production unchanged.
        var neverId = await trainer.StartJobAsync(TrainerTestApp.FastJob(promote: "never"));
        var never = await trainer.WaitUntilFinishedAsync(neverId);
        Assert.True(never.GetProperty("state").GetString() == "succeeded", never.ToString());
        Assert.False(never.GetProperty("result").GetProperty("promoted").GetBoolean());
        Assert.NotEqual(version, never.GetProperty("result").GetProperty("version").GetString());
        Assert.Equal(version, await registry.GetProductionVersionAsync());
        Assert.Equal(2, (await registry.ListAsync()).Count);

        // promote = rollout: published and put in rollout beside production, which stays until the gates decide.
        var rolloutId = await trainer.StartJobAsync(TrainerTestApp.FastJob(promote: "rollout"));
        var rolledOut = await trainer.WaitUntilFinishedAsync(rolloutId);
        var candidate = rolledOut.GetProperty("result").GetProperty("version").GetString();
        Assert.Equal("in rollout: shadow for 50 % of requests first", rolledOut.GetProperty("result").GetProperty("promotionReason").GetString());
        Assert.Equal(version, await registry.GetProductionVersionAsync());
        var live = await client.GetFromJsonAsync<JsonElement>("/models/rollout");
        Assert.Equal(candidate, live.GetProperty("rollout").GetProperty("candidate").GetString());
        Assert.Equal("shadow", live.GetProperty("rollout").GetProperty("mode").GetString());
        var aborted = await client.PostAsync("/models/rollout/abort", null);
        Assert.Equal(HttpStatusCode.OK, aborted.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/models/rollout")).GetProperty("rollout").ValueKind);
    }

    [Fact]
    public async Task AJobWhoseDataIsMissing_FailsSayingSo_WithoutTheServersPaths()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());

        var id = await trainer.StartJobAsync(new { data = "/srv/secret-layout/fer", epochs1 = 1 });
        var job = await trainer.WaitUntilFinishedAsync(id);

        Assert.Equal("failed", job.GetProperty("state").GetString());
        var error = job.GetProperty("error").GetString()!;
        Assert.Contains("no training data found", error, StringComparison.Ordinal);
        Assert.Contains("…/fer", error, StringComparison.Ordinal);
        using var anonymous = trainer.AnonymousClient();
        foreach (var answer in new[] { $"/train/{id}", "/train" })
        {
            var body = await anonymous.GetStringAsync(answer);
            Assert.DoesNotContain("/srv/", body, StringComparison.Ordinal);
            Assert.DoesNotContain(trainer.Service<TrainerPaths>().RunsDirectory, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Events_StreamProgressAndEpochs_AndEndWithTheFinalState_AndTheJobIsOneTraceWithPhaseAndEpochSpans()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TrainerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var losses = new ConcurrentQueue<double>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TrainerTelemetry.Name && instrument.Name == "fer.train.loss") l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<double>((_, value, _, _) => losses.Enqueue(value));
        meters.Start();

        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var id = await trainer.StartJobAsync(TrainerTestApp.FastJob(promote: "never", epochs1: 2));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/train/{id}/events");
        using var response = await trainer.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = await ReadEventsAsync(await response.Content.ReadAsStreamAsync());

        Assert.Equal("state", events[0].Type);
        Assert.Contains(events, e => e.Type == "progress" && e.Data.GetProperty("stage").GetString() == "training"
                                     && e.Data.GetProperty("batches").GetInt32() > 0);
        var epochs = events.Where(e => e.Type == "epoch").Select(e => e.Data.GetProperty("latest").GetProperty("epoch").GetInt32()).ToList();
        Assert.Equal([1, 2], epochs);
        Assert.Equal("state", events[^1].Type);
        Assert.Equal("succeeded", events[^1].Data.GetProperty("state").GetString());

        // After the end, the stream of a finished job is its final state alone.
        using var again = await trainer.Client.GetAsync($"/train/{id}/events");
        var replay = await ReadEventsAsync(await again.Content.ReadAsStreamAsync());
        Assert.Equal("succeeded", Assert.Single(replay).Data.GetProperty("state").GetString());

        // Telemetry: a root span for the job, a phase span under it, an epoch span per epoch under the phase.
        Activity? root = null;
        for (var wait = 0; wait < 100 && root is null; wait++, await Task.Delay(50))
            root = spans.FirstOrDefault(s => s.OperationName == TrainerTelemetry.JobSpan && (string?)s.GetTagItem(TrainerTelemetry.JobIdTag) == id);
        Assert.NotNull(root);
        Assert.Equal(default, root.ParentSpanId);
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        var phase = Assert.Single(trace, s => s.OperationName == TrainerTelemetry.PhaseSpan);
        Assert.Equal(root.SpanId, phase.ParentSpanId);
        var epochSpans = trace.Where(s => s.OperationName == TrainerTelemetry.EpochSpan).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([1, 2], epochSpans.Select(s => (int)s.GetTagItem(TrainerTelemetry.EpochTag)!));
        Assert.All(epochSpans, s => Assert.Equal(phase.SpanId, s.ParentSpanId));
        Assert.All(epochSpans, s => Assert.NotNull(s.GetTagItem("fer.train.val_macro_f1")));
        Assert.Contains(trace, s => s.OperationName == TrainerTelemetry.StageSpan && (string?)s.GetTagItem(TrainerTelemetry.StageTag) == "exporting");
        Assert.True(losses.Count >= 4, $"fer.train.loss recorded {losses.Count} values"); // train and validation, per epoch
    }

    [Fact]
    public async Task Cancel_StopsARunningJob_AndPublishesNothing()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var id = await trainer.StartJobAsync(new { imageSize = 64, epochs1 = 500, epochs2 = 0, batchSize = 16 });
        await trainer.WaitForJobAsync(id, TrainerTestApp.IsWorking);

        var cancel = await trainer.Client.PostAsync($"/train/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var job = await trainer.WaitUntilFinishedAsync(id);
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Equal("cancelled by request", job.GetProperty("error").GetString());
        Assert.Empty(await trainer.Service<ModelRegistry>().ListAsync());

        var again = await trainer.Client.PostAsync($"/train/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trainer.Client.PostAsync("/train/nope/cancel", null)).StatusCode);

        // The slot is free again.
        var next = await trainer.Client.PostAsJsonAsync("/train", new { data = "/nonexistent/fer" });
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Theory]
    [InlineData("""{"imageSize": 50}""", "imageSize")]
    [InlineData("""{"epochs1": 0, "epochs2": 0}""", "epochs1")]
    [InlineData("""{"epochs2": -1}""", "epochs2")]
    [InlineData("""{"batchSize": 1}""", "batchSize")]
    [InlineData("""{"recipe": "magic"}""", "recipe")]
    [InlineData("""{"promote": "sometimes"}""", "promote")]
    [InlineData("""{"epochs1": "ten"}""", "epochs1")]
    [InlineData("""{"epoch1": 3}""", "epoch1")]
    [InlineData("""{"weights": "/no/such/weights.pth"}""", "weights")]
    [InlineData("""{"data": ""}""", "data")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""{"imageSize": """, "body")]
    public async Task PostTrain_WithBadOptions_Is400NamingTheField(string body, string field)
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await trainer.Client.PostAsync("/train", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(field, messages[0].GetString());
        Assert.Empty(await trainer.Service<TrainJobStore>().ListRecentAsync(10));
    }

    [Fact]
    public async Task PostTrain_WithNoData_FailsFast_SayingWhereItLookedAndWhatLayoutItWants()
    {
        var missing = Path.Combine(Path.GetTempPath(), "fer-no-data-" + Guid.NewGuid().ToString("N"));
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Trainer:DataDirectory"] = missing,
            ["Trainer:FallbackDataDirectories:0"] = missing + "-too",
        });

        var configured = await trainer.StartJobAsync(new { });
        var job = await trainer.WaitUntilFinishedAsync(configured);
        Assert.Equal("failed", job.GetProperty("state").GetString());
        var error = job.GetProperty("error").GetString()!;
        // Where it looked, by folder name: the open answer never shows the server's paths (the log has them in full).
        Assert.Contains("…/" + Path.GetFileName(missing) + " (not found)", error);
        Assert.Contains("…/" + Path.GetFileName(missing) + "-too (not found)", error);
        Assert.DoesNotContain(Path.GetTempPath(), error);
        Assert.Contains("train/<class>/*.jpg", error);
        Assert.Contains("angry, disgust, fear, happy, sad, surprise, neutral", error);
        Assert.True(job.GetProperty("timings").GetProperty("runningSeconds").GetDouble() < 10, job.ToString());

        var flat = Directory.CreateTempSubdirectory("fer-flat-").FullName;
        try
        {
            var named = await trainer.StartJobAsync(new { data = flat });
            var failed = await trainer.WaitUntilFinishedAsync(named);
            Assert.Equal("failed", failed.GetProperty("state").GetString());
            Assert.Contains($"…/{Path.GetFileName(flat)} (no train/ folder)", failed.GetProperty("error").GetString());
        }
        finally
        {
            Directory.Delete(flat, recursive: true);
        }
    }

    [Fact]
    public async Task GetTrainEvents_FollowsEveryJob_OneAfterTheOther_StartingFromTheLastOne()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var first = await trainer.StartJobAsync(TrainerTestApp.FastJob(promote: "never"));
        await trainer.Client.PostAsync($"/train/{first}/cancel", null);
        var firstFinal = (await trainer.WaitUntilFinishedAsync(first)).GetProperty("state").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/train/events");
        using var response = await trainer.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var cancel = new CancellationTokenSource(TrainerTestApp.JobTimeout);
        await using var events = System.Net.ServerSentEvents.SseParser.Create(await response.Content.ReadAsStreamAsync())
            .EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        async Task<(string Type, JsonElement Job)> NextAsync()
        {
            Assert.True(await events.MoveNextAsync(), "the stream ended");
            return (events.Current.EventType, JsonDocument.Parse(events.Current.Data).RootElement.Clone());
        }

        // The stream opens on the last job, in its final state...
        var (type, job) = await NextAsync();
        Assert.Equal(("state", first, firstFinal), (type, job.GetProperty("id").GetString(), job.GetProperty("state").GetString()));

        // ...and stays open: a job started later comes on it, from its first state to its final one.
        var second = await trainer.StartJobAsync(TrainerTestApp.FastJob(promote: "never"));
        (type, job) = await NextAsync();
        Assert.Equal(("state", second), (type, job.GetProperty("id").GetString()));
        Assert.False(IsFinal(job), $"the second job's first event is a final state: {job}");
        await trainer.Client.PostAsync($"/train/{second}/cancel", null); // shortens the test; a job may end before it
        do (type, job) = await NextAsync();
        while (!IsFinal(job));
        Assert.Equal(("state", second), (type, job.GetProperty("id").GetString()));
        Assert.Equal(job.GetProperty("state").GetString(), (await trainer.GetJobAsync(second)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task GetTrain_UnknownJob_Is404Problem()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());

        foreach (var path in new[] { "/train/20990101-000000-abcdef", "/train/20990101-000000-abcdef/events" })
        {
            var response = await trainer.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static bool IsFinal(JsonElement job) => job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled";

    private static async Task<List<(string Type, JsonElement Data)>> ReadEventsAsync(Stream stream)
    {
        var events = new List<(string, JsonElement)>();
        using var cancel = new CancellationTokenSource(TrainerTestApp.JobTimeout);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(cancel.Token))
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        return events;
    }
}
