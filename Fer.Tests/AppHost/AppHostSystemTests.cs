using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.AppHost.Supervision;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Xunit.Abstractions;

namespace Fer.Tests.AppHost;

[Trait("Category", "Slow")]
[Collection(AppHostSystemCollection.Name)]
public sealed class AppHostSystemTests(AppHostSystemFixture system, ITestOutputHelper output) : IClassFixture<AppHostSystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryResourceIsHealthy_AndTheGatewayAnswersOnItsFixedPort()
    {
        var resources = await system.Host.ResourcesAsync();
        var replicas = resources.GetProperty("resources").EnumerateArray()
            .SelectMany(resource => resource.GetProperty("replicas").EnumerateArray())
            .ToDictionary(replica => replica.GetProperty("name").GetString()!, replica => replica);

        Assert.Equal(["gateway-0", "inference-0", "inference-1", "redis-0", "trainer-0"], replicas.Keys.Order());
        // Before the first model the inference replicas are alive and say why they are not ready, and the gateway still
        // started (it is how the first training run gets in); once a version is in production they serve it.
        var hasModel = await HasProductionModelAsync();
        foreach (var (name, replica) in replicas)
            Assert.Equal(ExpectedHealth(name, hasModel), replica.GetProperty("health").GetString());
        if (!hasModel)
            Assert.Contains("no model has been published yet", replicas["inference-0"].GetProperty("healthDescription").GetString());
        Assert.StartsWith("RedisServer", resources.GetProperty("resources")[0].GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, (await system.Host.Gateway.GetAsync("/health")).StatusCode);

        var memory = resources.GetProperty("systemMemoryBytes").GetInt64();
        output.WriteLine($"all healthy {system.SecondsToAllHealthy:F1} s after start; whole system resident memory {memory / 1048576.0:F0} MiB");
    }

    [Fact]
    public async Task KilledInferenceReplica_IsRestarted_WhileTheGatewayKeepsAnswering()
    {
        var expected = ExpectedHealth("inference-0", await HasProductionModelAsync());
        var before = await AppHostProcess.ReplicaAsync(system.Host, "inference-0");
        var pid = before.GetProperty("pid").GetInt32();
        var restarts = before.GetProperty("restarts").GetInt32();

        Assert.True(ProcessSignals.Send(pid, ProcessSignals.SigKill));

        var deadline = DateTime.UtcNow + Patience;
        JsonElement after;
        do
        {
            Assert.Equal(HttpStatusCode.OK, (await system.Host.Gateway.GetAsync("/health")).StatusCode);
            await Task.Delay(500);
            after = await AppHostProcess.ReplicaAsync(system.Host, "inference-0");
        }
        while (!(after.GetProperty("restarts").GetInt32() > restarts && after.GetProperty("health").GetString() == expected)
            && DateTime.UtcNow < deadline);

        Assert.True(after.GetProperty("restarts").GetInt32() > restarts, $"no restart recorded: {after}");
        Assert.Equal(expected, after.GetProperty("health").GetString());
        Assert.NotEqual(pid, after.GetProperty("pid").GetInt32());
        Assert.False(AppHostProcess.IsAlive(pid));
        Assert.Equal(137, after.GetProperty("lastExitCode").GetInt32()); // 128 + SIGKILL
    }

    [Fact]
    public async Task ServicesTelemetry_ReachesTheDashboard_UnderTheirServiceNames()
    {
        Assert.Equal(HttpStatusCode.OK, (await system.Host.Gateway.GetAsync("/api/info")).StatusCode);

        var deadline = DateTime.UtcNow + Patience;
        JsonElement traces;
        do
        {
            await Task.Delay(500);
            traces = await system.Host.Dashboard.GetFromJsonAsync<JsonElement>("/api/traces?service=gateway");
        }
        while (!traces.EnumerateArray().Any(IsInfoRequest) && DateTime.UtcNow < deadline);

        var trace = traces.EnumerateArray().First(IsInfoRequest);
        var spans = await system.Host.Dashboard.GetFromJsonAsync<JsonElement>($"/api/traces/{trace.GetProperty("traceId").GetString()}");
        var server = spans.EnumerateArray().First(span => span.GetProperty("kind").GetString() == "Server");
        Assert.Equal("gateway", server.GetProperty("service").GetString());
        Assert.Equal("gateway-0", server.GetProperty("instance").GetString());
        Assert.Equal("/api/info", server.GetProperty("attributes").GetProperty("url.path").GetString());

        var instruments = await system.Host.Dashboard.GetFromJsonAsync<JsonElement>("/api/metrics");
        Assert.Contains(instruments.EnumerateArray(), i => i.GetProperty("service").GetString() == "inference"
            && i.GetProperty("name").GetString() == "process.memory.usage");
        var host = await system.Host.Dashboard.GetFromJsonAsync<JsonElement>("/api/host");
        Assert.Contains(host.EnumerateArray(), reading => reading.GetProperty("instance").GetString() == "trainer-0");
        var logs = await system.Host.Dashboard.GetFromJsonAsync<JsonElement>("/api/logs?service=trainer");
        Assert.NotEmpty(logs.EnumerateArray());

        static bool IsInfoRequest(JsonElement trace) => trace.GetProperty("name").GetString()!.Contains("/api/info", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATinyRunStartedThroughTheGateway_IsPromoted_ServesPredictions_AndTheirTraceGoesFromGatewayToInference()
    {
        var timer = Stopwatch.StartNew();
        var gateway = system.Host.Gateway;
        using var data = new TinyFerData();

        // Starting a run is an admin route: the gateway refuses it without the key, and takes it with the AppHost's.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostAsJsonAsync("/train", new { })).StatusCode);
        using var start = new HttpRequestMessage(HttpMethod.Post, "/train")
        {
            Content = JsonContent.Create(new { data = data.Root, imageSize = 64, epochs1 = 1, epochs2 = 1, batchSize = 32, seed = 7, promote = "always" }),
        };
        start.Headers.Add("X-Api-Key", system.Host.AdminKey);
        var started = await gateway.SendAsync(start);
        var created = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"POST /train: {(int)started.StatusCode} {created}");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;

        var job = await Poll.UntilAsync(() => gateway.GetFromJsonAsync<JsonElement>($"/train/{id}"),
            j => j.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled", AppHostSystemFixture.TinyTrainingTimeout, $"training job {id} to end");
        Assert.True(job.GetProperty("state").GetString() == "succeeded", $"the job did not succeed: {job}\n{await ConsoleAsync("trainer-0")}");
        Assert.Equal(2, job.GetProperty("completedEpochs").GetInt32()); // one epoch in each phase
        var result = job.GetProperty("result");
        var version = result.GetProperty("version").GetString()!;
        Assert.True(result.GetProperty("promoted").GetBoolean(), $"not promoted: {result}");
        Assert.Equal(version, (await gateway.GetFromJsonAsync<JsonElement>("/models")).GetProperty("production").GetString());
        var trained = timer.Elapsed;

        // Both replicas take the promoted version from the registry and become ready: every resource is Healthy.
        var resources = await Poll.UntilAsync(system.Host.ResourcesAsync, r => Replicas(r).All(replica => replica.GetProperty("health").GetString() == "Healthy"),
            Patience, "every replica to be Healthy after the promotion");
        Assert.True(resources.GetProperty("allHealthy").GetBoolean());
        var ready = timer.Elapsed;

        var requestId = "system-test-" + Guid.NewGuid().ToString("N");
        using var predict = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new ByteArrayContent(await File.ReadAllBytesAsync(RepositoryPaths.FirstTestImage("happy"))) };
        predict.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        predict.Headers.Add("X-Request-Id", requestId);
        var answer = await gateway.SendAsync(predict);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"POST /predict: {(int)answer.StatusCode} {text}");
        Assert.Equal(requestId, answer.Headers.GetValues("X-Request-Id").Single());
        var prediction = JsonDocument.Parse(text).RootElement;
        Assert.Equal(version, prediction.GetProperty("modelVersion").GetString());
        var probabilities = prediction.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(TinyFerData.Classes.Order(), probabilities.Keys.Order());
        Assert.Equal(1.0, probabilities.Values.Sum(), 3);
        Assert.Equal(probabilities.MaxBy(p => p.Value).Key, prediction.GetProperty("emotion").GetString());

        // The dashboard's own API finds that request's trace by the request id on the gateway's server span, and the
        // trace goes on into an inference replica: its server span is the child of the gateway's outgoing client span.
        var spans = await Poll.UntilAsync(() => system.Host.TraceOfRequestAsync(requestId, "/predict"),
            found => found.Any(span => Is(span, "inference", "Server")), Patience, $"the trace of request {requestId} with an inference span");
        var traceId = spans[0].GetProperty("traceId").GetString();
        Assert.All(spans, span => Assert.Equal(traceId, span.GetProperty("traceId").GetString()));
        var byId = spans.ToDictionary(span => span.GetProperty("spanId").GetString()!);
        var inference = Assert.Single(spans, span => Is(span, "inference", "Server"));
        Assert.Equal("/predict", inference.GetProperty("attributes").GetProperty("url.path").GetString());
        Assert.Contains(inference.GetProperty("instance").GetString(), new[] { "inference-0", "inference-1" });
        var client = byId[inference.GetProperty("parentSpanId").GetString()!];
        Assert.True(Is(client, "gateway", "Client"), $"the inference span's parent is not the gateway's client span: {client}");
        // Up from the client span: YARP's forwarder span, then the gateway's ASP.NET Core server span, the trace's root.
        var forwarder = byId[client.GetProperty("parentSpanId").GetString()!];
        Assert.Equal(("gateway", "proxy.forwarder"), (forwarder.GetProperty("service").GetString(), forwarder.GetProperty("name").GetString()));
        var server = byId[forwarder.GetProperty("parentSpanId").GetString()!];
        Assert.True(Is(server, "gateway", "Server"), $"the forwarder's parent is not the gateway's server span: {server}");
        Assert.Equal(JsonValueKind.Null, server.GetProperty("parentSpanId").ValueKind);
        Assert.Equal(requestId, server.GetProperty("attributes").GetProperty("fer.request_id").GetString());
        Assert.Equal("/predict", server.GetProperty("attributes").GetProperty("url.path").GetString());

        output.WriteLine($"trained and promoted {version} in {trained.TotalSeconds:F1} s; replicas Healthy at {ready.TotalSeconds:F1} s; "
            + $"predict answered and its trace ({spans.Count} spans) found at {timer.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Whether the registry has a production version (the training test below makes one), through the gateway.</summary>
    private async Task<bool> HasProductionModelAsync()
    {
        var models = await system.Host.Gateway.GetFromJsonAsync<JsonElement>("/models");
        return models.GetProperty("production").ValueKind == JsonValueKind.String;
    }

    private static string ExpectedHealth(string replica, bool hasModel) =>
        replica.StartsWith("inference", StringComparison.Ordinal) && !hasModel ? "NotReady" : "Healthy";

    private static bool Is(JsonElement span, string service, string kind) =>
        span.GetProperty("service").GetString() == service && span.GetProperty("kind").GetString() == kind;

    private static IEnumerable<JsonElement> Replicas(JsonElement resources) =>
        resources.GetProperty("resources").EnumerateArray().SelectMany(resource => resource.GetProperty("replicas").EnumerateArray());

    private async Task<string> ConsoleAsync(string replica) =>
        await system.Host.Dashboard.GetStringAsync($"/api/resources/{replica}/console?limit=80");
}
