using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fer.Gateway.Proxy;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Gateway;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Trainer.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Fer.Tests.Rollouts;

/// <summary>
/// A broken candidate in canary as the clients meet it: through the real gateway (YARP, its retries, its active and
/// passive health checks) in front of two real replicas that serve production and the candidate from a real registry on
/// redis-server, with the trainer's controller deciding every 2 s. The gateway must pass each failure on as it is:
/// neither hide it (a retry onto production) nor multiply it (a retry onto the same version), nor take a replica out of
/// rotation for a model's fault.
/// </summary>
public sealed class RolloutGatewayTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string prefix = "gateway-rollout-" + Guid.NewGuid().ToString("N")[..8];
    private RolloutTraffic traffic = null!;
    private RegistryPublisher publisher = null!;
    private InferenceHost[] replicas = [];
    private GatewayHost gateway = null!;
    private RolloutController controller = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        traffic = new RolloutTraffic(prefix); // ids no other test in this process sends through its gateway
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(41));
        replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix)));
        foreach (var replica in replicas) await replica.WaitForVersionAsync(production);
        gateway = await GatewayHost.StartAsync(replicas.Select(r => r.Client.BaseAddress!), trainer: null,
            new Dictionary<string, string?> { ["Gateway:Limits:PredictPermitLimit"] = "1000000" });
        controller = new RolloutController(publisher.Rollouts, publisher.Registry, TimeProvider.System, NullLogger<RolloutController>.Instance);
        await controller.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await controller.StopAsync(CancellationToken.None);
        controller.Dispose();
        await gateway.DisposeAsync();
        foreach (var replica in replicas) await replica.DisposeAsync();
        publisher.Dispose();
    }

    [Fact]
    public async Task AFailingCanary_ThroughTheGateway_FailsOnlyItsShare_EachRequestOnce_AndIsRolledBack()
    {
        const double share = 0.25;
        var failing = await publisher.PublishAsync(RolloutTestModels.FailsOnRealFaces(41));
        var rollout = await publisher.Rollouts.StartAsync(failing, [new(RolloutMode.Canary, share, MinRequests: 200, TimeSpan.FromMinutes(2))]);
        foreach (var replica in replicas)
            await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rollout.Id,
                TimeSpan.FromSeconds(30), $"rollout {rollout.Id} to be served by every replica");
        using var client = gateway.CreateClient();

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, client, TimeSpan.FromSeconds(90));

        Assert.Equal(RolloutDecisionKind.RolledBack, ended.Kind);
        Assert.StartsWith("error rate 1 over", ended.Reason, StringComparison.Ordinal);
        // Each failure reaches the client as the replica wrote it: a 500 ProblemDetails naming the candidate, and only
        // for ids inside the share; every id outside it was answered by production.
        var failed = traffic.AssertFailuresOnlyInsideShare(rollout, share, failing, production);
        RolloutTraffic.AssertWithinPromise(failed[RolloutGatekeeper.MinGateSamples - 1].At, ended, output);

        // One client request, one try: the gateway sent every request to exactly one replica, failed or not (a 500 is an
        // answer, not a transport failure, so it is not retried), and the failures came from both replicas.
        var attempts = await AttemptsAsync(traffic.Answers.Select(a => a.Id).ToList());
        Assert.All(traffic.Answers, a => Assert.True(attempts[a.Id].Count == 1,
            $"request {a.Id} ({(int)a.Status}) went to {attempts[a.Id].Count} replicas: {string.Join(", ", attempts[a.Id])}"));
        var failedOn = failed.GroupBy(a => attempts[a.Id].Single()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(replicas.Select(r => r.Client.BaseAddress!.Port).Order(), failedOn.Keys.Order());
        // Nor did the failures take a replica out of rotation: a model's fault is not the replica's.
        var proxy = gateway.App.Services.GetRequiredService<IProxyStateLookup>();
        Assert.True(proxy.TryGetCluster(GatewayProxyConfigFactory.InferenceCluster, out var cluster));
        Assert.All(cluster.Destinations.Values, d => Assert.Equal((false, false),
            (d.Health.Active == DestinationHealth.Unhealthy, d.Health.Passive == DestinationHealth.Unhealthy)));
        output.WriteLine($"{failed.Count} of {traffic.Answers.Count} requests failed, all inside the {share:P0} share, " +
            $"each sent once ({string.Join(", ", failedOn.Select(p => $"{p.Value} on replica :{p.Key}"))}); {ended.Reason}");

        // Once the candidate has left both replicas, the ids that failed are answered by production through the gateway.
        foreach (var replica in replicas)
            await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Holder.Current), model => model is null,
                TimeSpan.FromSeconds(20), "the candidate to leave service");
        foreach (var id in failed.Take(10).Select(a => a.Id))
        {
            var retry = await traffic.SendAsync(client, id);
            Assert.Equal((HttpStatusCode.OK, production), (retry.Status, retry.Version));
        }
    }

    /// <summary>For each request id, the port of every replica the gateway sent it to, read from the gateway's exported
    /// spans: the gateway's server span carries the id, and each outgoing HTTP call under it is one attempt.</summary>
    private async Task<Dictionary<string, List<int>>> AttemptsAsync(IReadOnlyCollection<string> ids)
    {
        var wanted = ids.ToHashSet();
        IReadOnlyList<Activity> spans = [];
        Dictionary<string, Activity> servers = [];
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(200))
        {
            spans = gateway.ExportedSpans();
            servers = spans.Where(s => s.Kind == ActivityKind.Server && s.GetTagItem("fer.request_id") is string id && wanted.Contains(id))
                .GroupBy(s => (string)s.GetTagItem("fer.request_id")!).ToDictionary(g => g.Key, g => g.Single());
            if (servers.Count == wanted.Count) break;
            await Task.Delay(200);
        }
        Assert.Equal(wanted.Count, servers.Count);
        var outgoing = spans.Where(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http").ToLookup(s => s.TraceId);
        return servers.ToDictionary(p => p.Key, p => outgoing[p.Value.TraceId]
            .Where(s => s.SpanId != p.Value.ParentSpanId) // the test's own call to the gateway
            .Select(s => Convert.ToInt32(s.GetTagItem("server.port"), CultureInfo.InvariantCulture)).ToList());
    }
}
