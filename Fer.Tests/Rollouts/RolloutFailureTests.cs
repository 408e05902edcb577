using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Fer.Inference.Models;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Trainer.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Fer.Tests.Rollouts;

/// <summary>
/// Broken candidates rolled back by themselves, on real parts: a replica serving production and the candidate and
/// reporting its evidence every 2 s to a real registry on redis-server, and the trainer's controller deciding every 2 s
/// as a running service. The tests only send requests and watch.
/// </summary>
public sealed class RolloutFailureTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string prefix = "failures-" + Guid.NewGuid().ToString("N")[..8];
    private readonly RolloutTraffic traffic = new();
    private RegistryPublisher publisher = null!;
    private InferenceHost replica = null!;
    private RolloutController controller = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(41));
        replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(production);
        controller = new RolloutController(publisher.Rollouts, publisher.Registry, TimeProvider.System, NullLogger<RolloutController>.Instance);
        await controller.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await controller.StopAsync(CancellationToken.None);
        controller.Dispose();
        await replica.DisposeAsync();
        publisher.Dispose();
    }

    [Fact]
    public async Task ACandidateWhoseRunsFail_InShadow_IsRolledBack_AndNoClientSeesAFailure()
    {
        var failing = await publisher.PublishAsync(RolloutTestModels.FailsOnRealFaces(41));
        var rollout = await publisher.Rollouts.StartAsync(failing, [new(RolloutMode.Shadow, 1.0, MinRequests: 200, TimeSpan.FromMinutes(2))]);
        await WaitForCandidateAsync(rollout);

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, replica, TimeSpan.FromSeconds(90));

        Assert.Equal(RolloutDecisionKind.RolledBack, ended.Kind);
        Assert.StartsWith("error rate 1 over", ended.Reason, StringComparison.Ordinal);
        Assert.All(traffic.Answers, answer => Assert.Equal((HttpStatusCode.OK, production), (answer.Status, answer.Version)));
        // Every request was shadowed, so the gate's 20 samples were there once the 20th request was answered.
        AssertWithinPromise(traffic.Answers[RolloutGatekeeper.MinGateSamples - 1].At, ended);
        Assert.Equal(production, await publisher.Registry.GetProductionVersionAsync());
    }

    [Fact]
    public async Task ACandidateWhoseRunsFail_InCanary_FailsOnlyRequestsInsideItsShare_AndIsRolledBack()
    {
        const double share = 0.25;
        var failing = await publisher.PublishAsync(RolloutTestModels.FailsOnRealFaces(41));
        var rollout = await publisher.Rollouts.StartAsync(failing, [new(RolloutMode.Canary, share, MinRequests: 200, TimeSpan.FromMinutes(2))]);
        await WaitForCandidateAsync(rollout);

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, replica, TimeSpan.FromSeconds(90));

        Assert.Equal(RolloutDecisionKind.RolledBack, ended.Kind);
        Assert.StartsWith("error rate 1 over", ended.Reason, StringComparison.Ordinal);
        // A failed candidate run is the client's 500 (docs/rollout.md says why), and only inside the candidate's share.
        var failed = traffic.AssertFailuresOnlyInsideShare(rollout, share, failing, production);
        AssertWithinPromise(failed[RolloutGatekeeper.MinGateSamples - 1].At, ended);
        output.WriteLine($"{failed.Count} of {traffic.Answers.Count} requests failed, all inside the {share:P0} share; {ended.Reason}");

        // Once the candidate has left the replica, the same ids that failed are answered by production.
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Holder.Current), model => model is null,
            TimeSpan.FromSeconds(20), "the candidate to leave service");
        var retry = await traffic.SendAsync(replica, failed[0].Id);
        Assert.Equal((HttpStatusCode.OK, production), (retry.Status, retry.Version));
    }

    [Fact]
    public async Task ACandidateTheReplicaRefusesToLoad_IsRolledBackAtOnce_NamingTheRefusal()
    {
        var broken = await publisher.PublishAsync(RolloutTestModels.FailsEveryRun(41));
        // The default step's 10 minutes: without the refusal as evidence, the rollout would wait them out.
        var rollout = await publisher.Rollouts.StartAsync(broken, [Rollout.DefaultSteps[0]]);

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, replica, TimeSpan.FromSeconds(60));

        Assert.Equal(RolloutDecisionKind.RolledBack, ended.Kind);
        Assert.StartsWith("a replica refused to load it (replica ", ended.Reason, StringComparison.Ordinal);
        Assert.Contains($"model {broken} failed its warm-up run", ended.Reason, StringComparison.Ordinal);
        Assert.All(traffic.Answers, answer => Assert.Equal((HttpStatusCode.OK, production), (answer.Status, answer.Version)));
        AssertWithinPromise(rollout.StartedAt, ended);
        Assert.Equal(production, await publisher.Registry.GetProductionVersionAsync());
    }

    [Fact]
    public async Task ACandidateTenTimesSlower_IsRolledBackByTheLatencyGate_WithTheSameAnswers()
    {
        // The test classifier alone runs in well under a millisecond, where the gate's 5 ms floor would rightly call any
        // ratio noise; so production here carries 8 dense layers of extra work and the candidate 80 (the same answers).
        production = await publisher.PublishAndPromoteAsync(RolloutTestModels.Slow(41, layers: 8));
        await replica.WaitForVersionAsync(production);
        var slow = await publisher.PublishAsync(RolloutTestModels.Slow(41, layers: 80));
        var rollout = await publisher.Rollouts.StartAsync(slow, [new(RolloutMode.Shadow, 1.0, MinRequests: 300, TimeSpan.FromMinutes(2))]);
        await WaitForCandidateAsync(rollout);
        output.WriteLine(MeasureSingleRuns());

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, replica, TimeSpan.FromSeconds(120));

        Assert.Equal(RolloutDecisionKind.RolledBack, ended.Kind);
        Assert.StartsWith("p95 model run time", ended.Reason, StringComparison.Ordinal);
        Assert.EndsWith("on the same requests", ended.Reason, StringComparison.Ordinal); // production's runs made alike
        Assert.All(traffic.Answers, answer => Assert.Equal((HttpStatusCode.OK, production), (answer.Status, answer.Version)));
        using var evidence = JsonDocument.Parse(ended.Evidence!);
        var candidate = evidence.RootElement.GetProperty("candidate");
        var baseline = evidence.RootElement.GetProperty("production");
        Assert.Equal(1.0, candidate.GetProperty("agreement").GetDouble()); // the extra branch changes no answer
        double P(JsonElement e, string name) => e.GetProperty(name).GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model run time p50 {P(candidate, "latencyP50Ms"):0.##} ms vs production's {P(baseline, "latencyP50Ms"):0.##} ms ({P(candidate, "latencyP50Ms") / P(baseline, "latencyP50Ms"):0.#}x); " +
            $"p95 {P(candidate, "latencyP95Ms"):0.##} vs {P(baseline, "latencyP95Ms"):0.##} ms ({P(candidate, "latencyP95Ms") / P(baseline, "latencyP95Ms"):0.#}x), " +
            $"production's p95 on the same requests run alike {P(candidate, "baselineLatencyP95Ms"):0.##} ms, " +
            $"over {candidate.GetProperty("requests").GetInt64()} and {baseline.GetProperty("requests").GetInt64()} requests; {ended.Reason}"));
    }

    /// <summary>The two loaded models on one grey image: the median wall time of 30 runs each, alternating, and the
    /// process's CPU time per run over a quarter second or so of runs each. On a loaded machine a run longer than a
    /// scheduler slice waits behind other processes, so wall time overstates the model's own cost; the CPU time is less
    /// affected, but counts whatever else this process does meanwhile (other test classes run beside this one).</summary>
    private string MeasureSingleRuns()
    {
        var models = new[] { replica.Get<ModelHolder>().Current!, replica.Get<CandidateModel>().Holder.Current! };
        var input = new float[48 * 48];
        Array.Fill(input, 0.5f);
        var wall = models.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < 30; i++)
            for (var m = 0; m < models.Length; m++)
            {
                var started = Stopwatch.GetTimestamp();
                models[m].Run(input, 1);
                wall[m].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        var medians = wall.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
        var cpu = models.Select((model, m) =>
        {
            var runs = (int)Math.Clamp(250 / medians[m], 10, 1000);
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < runs; i++) model.Run(input, 1);
            return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / runs;
        }).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"one image: median wall time candidate {medians[1]:0.##} ms, production {medians[0]:0.##} ms ({medians[1] / medians[0]:0.#}x); " +
            $"CPU time a run {cpu[1]:0.##} ms vs {cpu[0]:0.##} ms ({cpu[1] / cpu[0]:0.#}x)");
    }

    private async Task WaitForCandidateAsync(Rollout rollout) =>
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rollout.Id,
            TimeSpan.FromSeconds(30), $"rollout {rollout.Id} to be served");

    private void AssertWithinPromise(DateTimeOffset evidenceAvailable, RolloutDecision ended) =>
        RolloutTraffic.AssertWithinPromise(evidenceAvailable, ended, output);
}
