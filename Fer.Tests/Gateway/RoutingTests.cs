using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Fer.Tests.Gateway;

public sealed class RoutingTests
{
    [Fact]
    public async Task Predict_IsBalancedAcrossBothInferenceReplicas()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        await using var b = await StandIns.InferenceAsync("replica-b");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], trainer: null);
        using var client = gateway.CreateClient();

        var servedBy = new List<string>();
        for (var i = 0; i < 40; i++)
            servedBy.Add(await PredictAsync(client));

        Assert.Contains("replica-a", servedBy);
        Assert.Contains("replica-b", servedBy);
        Assert.Equal(40, a.Count("POST", "/predict") + b.Count("POST", "/predict"));
    }

    [Fact]
    public async Task Predict_KeepsAnswering_WhenOneReplicaIsStopped()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        var b = await StandIns.InferenceAsync("replica-b");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], trainer: null);
        using var client = gateway.CreateClient();
        for (var i = 0; i < 10; i++) await PredictAsync(client);

        await b.DisposeAsync();

        // Every request still succeeds: connections refused by the stopped replica are retried on the live one (the
        // request never reached anyone), and passive health soon stops choosing it at all.
        for (var i = 0; i < 30; i++)
            Assert.Equal("replica-a", await PredictAsync(client));
    }

    [Fact]
    public async Task ActiveHealthChecks_TakeAnUnhealthyReplicaOutOfRotation()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        await using var b = await StandIns.InferenceAsync("replica-b");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], trainer: null);
        using var client = gateway.CreateClient();

        b.Healthy = false; // probed every second; two consecutive failures mark it unhealthy
        var proxyState = gateway.App.Services.GetRequiredService<IProxyStateLookup>();
        Assert.True(proxyState.TryGetCluster("inference", out var cluster));
        var destinationB = cluster.Destinations.Values.Single(d => d.Model.Config.Address == b.Address.ToString());
        await WaitForAsync(() => destinationB.Health.Active, health => health == DestinationHealth.Unhealthy, TimeSpan.FromSeconds(20));
        Assert.Equal(DestinationHealth.Unhealthy, destinationB.Health.Active);

        var before = b.Count("POST", "/predict");
        for (var i = 0; i < 20; i++)
            Assert.Equal("replica-a", await PredictAsync(client));
        Assert.Equal(before, b.Count("POST", "/predict"));
    }

    [Fact]
    public async Task SafeRequest_IsRetriedOnAnotherReplica_WhenTheFirstDropsTheConnection()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        await using var b = await StandIns.InferenceAsync("replica-b");
        a.Abort = request => request.Path.StartsWithSegments("/v2");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], trainer: null,
            new Dictionary<string, string?> { ["Gateway:Proxy:HealthCheckInterval"] = "00:10:00" });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            var response = await client.GetAsync("/v2/models/fer");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("replica-b", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replica").GetString());
        }
        Assert.True(a.Count("GET", "/v2/models/fer") >= 1, "replica-a should have been tried at least once");
    }

    [Fact]
    public async Task Post_IsNeverSentTwice_OnceAReplicaReceivedIt()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        await using var b = await StandIns.InferenceAsync("replica-b");
        a.Abort = b.Abort = request => request.Path == "/predict";
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], trainer: null);
        using var client = gateway.CreateClient();

        var response = await client.PostAsync("/predict", new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("inference service", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, a.Count("POST", "/predict") + b.Count("POST", "/predict"));
    }

    [Fact]
    public async Task PostTrain_IsNeverRetried()
    {
        await using var trainer = await StandIns.TrainerAsync();
        trainer.Abort = request => request.Path == "/train";
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayHost.AdminKey);

        var response = await client.PostAsJsonAsync("/train", new { epochs1 = 1 });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, trainer.Count("POST", "/train"));
    }

    [Theory]
    [InlineData("GET", "/train")]
    [InlineData("GET", "/train/job-1")]
    [InlineData("GET", "/models")]
    [InlineData("GET", "/models/v7")]
    public async Task TrainerReads_ReachTheTrainer(string method, string path)
    {
        await using var trainer = await StandIns.TrainerAsync();
        await using var gateway = await GatewayHost.StartAsync([], trainer.Address);
        using var client = gateway.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, trainer.Count(method, path));
    }

    [Fact]
    public async Task UnreachableService_IsAProblemThatNamesIt()
    {
        await using var gateway = await GatewayHost.StartAsync([], new Uri("http://127.0.0.1:1/"));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/models");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("trainer", problem.GetProperty("detail").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
    }

    [Fact]
    public async Task ProxyErrors_NameTheService_ButNeverWhereItRuns()
    {
        // One service that refuses connections, one that accepts and drops them: both are 502s.
        await using var inference = await StandIns.InferenceAsync("replica-a");
        inference.Abort = request => request.Path == "/predict";
        var refusing = new Uri($"http://127.0.0.1:{FreePort()}/");
        var logs = new CapturedLogs();
        await using var gateway = await GatewayHost.StartAsync([inference.Address], refusing, logs: logs);
        using var client = gateway.CreateClient();

        foreach (var (response, service, address) in new[]
        {
            (await client.GetAsync("/models"), "trainer", refusing),
            (await client.PostAsync("/predict", new ByteArrayContent([1])), "inference service", inference.Address),
        })
        {
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(service, body);
            Assert.DoesNotContain(address.Authority, body);
            Assert.DoesNotContain("127.0.0.1", body);
            Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
            // The operator finds the cause in the log by the id the caller was given.
            var requestId = response.Headers.GetValues("X-Request-Id").Single();
            Assert.Contains(logs.Messages, m => m.Contains($"(request {requestId}): the {service} failed", StringComparison.Ordinal));
        }
        Assert.Contains(logs.Messages, m => m.Contains(refusing.Authority, StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Predict_IsOneTrace_FromTheGatewayThroughYarpToTheReplica()
    {
        await using var a = await StandIns.InferenceAsync("replica-a");
        await using var gateway = await GatewayHost.StartAsync([a.Address], trainer: null);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/predict", new ByteArrayContent([1]))).StatusCode);

        // The replica was called with a traceparent naming the gateway's outgoing span; walk up from there. (Other
        // tests run gateways in this process at the same time, so spans are picked by id, not by kind.)
        var traceparent = Assert.Single(a.Received, r => r.Path == "/predict").Headers["traceparent"].Split('-');
        var (traceId, outgoingId) = (traceparent[1], traceparent[2]);
        var spans = await WaitForAsync(gateway.ExportedSpans, found =>
            found.FirstOrDefault(s => s.SpanId.ToString() == outgoingId) is { } o &&
            found.FirstOrDefault(s => s.SpanId == o.ParentSpanId) is { } f &&
            found.Any(s => s.SpanId == f.ParentSpanId));
        var outgoing = Assert.Single(spans, s => s.SpanId.ToString() == outgoingId);
        var forwarder = Assert.Single(spans, s => s.SpanId == outgoing.ParentSpanId);
        var server = Assert.Single(spans, s => s.SpanId == forwarder.ParentSpanId);
        Assert.Equal((ActivityKind.Client, "System.Net.Http"), (outgoing.Kind, outgoing.Source.Name));
        Assert.Equal(("proxy.forwarder", "Yarp.ReverseProxy"), (forwarder.OperationName, forwarder.Source.Name));
        Assert.Equal((ActivityKind.Server, "Microsoft.AspNetCore", "POST /predict"), (server.Kind, server.Source.Name, server.DisplayName));
        Assert.Equal(traceId, server.TraceId.ToString());
        // YARP's periodic health probes are kept out of the traces, like every /health request.
        Assert.DoesNotContain(spans, s => s.OperationName.Contains("health_check", StringComparison.Ordinal));
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(50))
        {
            var value = read();
            if (done(value) || waited > (timeout ?? TimeSpan.FromSeconds(5))) return value;
            await Task.Delay(50);
        }
    }

    private static async Task<string> PredictAsync(HttpClient client)
    {
        var response = await client.PostAsync("/predict", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("modelVersion").GetString()!;
    }
}
