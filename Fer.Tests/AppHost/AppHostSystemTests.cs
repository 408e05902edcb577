using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.AppHost.Supervision;
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
        // A fresh system has no model yet: the inference replicas are alive and say why they are not ready, and the
        // gateway still started (it is how the first training run gets in).
        foreach (var (name, replica) in replicas)
            Assert.Equal(FreshSystemHealth(name), replica.GetProperty("health").GetString());
        Assert.Contains("no model has been published yet", replicas["inference-0"].GetProperty("healthDescription").GetString());
        Assert.StartsWith("RedisServer", resources.GetProperty("resources")[0].GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, (await system.Host.Gateway.GetAsync("/health")).StatusCode);

        var memory = resources.GetProperty("systemMemoryBytes").GetInt64();
        output.WriteLine($"all healthy {system.SecondsToAllHealthy:F1} s after start; whole system resident memory {memory / 1048576.0:F0} MiB");
    }

    [Fact]
    public async Task KilledInferenceReplica_IsRestarted_WhileTheGatewayKeepsAnswering()
    {
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
        while (!(after.GetProperty("restarts").GetInt32() > restarts && after.GetProperty("health").GetString() == FreshSystemHealth("inference-0"))
            && DateTime.UtcNow < deadline);

        Assert.True(after.GetProperty("restarts").GetInt32() > restarts, $"no restart recorded: {after}");
        Assert.Equal(FreshSystemHealth("inference-0"), after.GetProperty("health").GetString());
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

    private static string FreshSystemHealth(string replica) => replica.StartsWith("inference", StringComparison.Ordinal) ? "NotReady" : "Healthy";
}
