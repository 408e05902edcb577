using System.Net;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Fer.Trainer.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Tests.Rollouts;

/// <summary>
/// Processes that stop and start in the middle of a rollout change no decision: the record and every replica's evidence
/// live in Redis (real redis-server), the decider keeps no state, and a replica that starts (again, or for the first
/// time) during a rollout loads its candidate and routes by the same hash as every other.
/// </summary>
public sealed class RolloutRestartTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly RolloutStep[] QuickPlan =
    [
        new(RolloutMode.Shadow, 0.5, MinRequests: 20, MaxDuration: TimeSpan.FromMinutes(2)),
        new(RolloutMode.Canary, 0.5, MinRequests: 40, MaxDuration: TimeSpan.FromMinutes(2)),
    ];

    private readonly string prefix = "restarts-" + Guid.NewGuid().ToString("N")[..8];
    private readonly RolloutTraffic traffic = new();
    private RegistryPublisher publisher = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(51));
    }

    public Task DisposeAsync()
    {
        publisher.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ATrainerStoppedAndStartedMidRollout_LeavesItWhereItWas_AndItIsPromotedAsBefore()
    {
        await using var replica = await StartReplicaAsync();
        var twin = await publisher.PublishAsync(InferenceTestModels.Onnx(51)); // production's weights: a healthy candidate
        var rollout = await publisher.Rollouts.StartAsync(twin, QuickPlan);
        await WaitForCandidateAsync(replica, rollout);

        // The trainer service as Program.cs composes it (its rollout controller a hosted service), stopped and started
        // again as a process restart would: nothing of the rollout is in its memory.
        using var data = new TinyFerData();
        var first = await StartTrainerAsync(data);
        var inCanary = await SendUntilAsync(replica, r => r?.Step == 1, "the rollout to reach canary");
        await first.DisposeAsync();

        // With no trainer running, the rollout stays exactly where it was, however much evidence arrives.
        for (var i = 0; i < 60; i++) await traffic.SendAsync(replica);
        await Task.Delay(EvidencePublisher.Interval * 2);
        var waited = await publisher.Rollouts.GetAsync();
        Assert.Equal((inCanary.Id, 1, inCanary.StepStartedAt), (waited?.Id, waited?.Step, waited?.StepStartedAt));

        await using var second = await StartTrainerAsync(data);
        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, replica, TimeSpan.FromSeconds(60));

        Assert.Equal(RolloutDecisionKind.Promoted, ended.Kind);
        Assert.Equal([RolloutDecisionKind.Started, RolloutDecisionKind.Advanced, RolloutDecisionKind.Promoted], await KindsAsync(rollout));
        Assert.Equal(twin, await publisher.Registry.GetProductionVersionAsync());
        Assert.All(traffic.Answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    [Fact]
    public async Task AReplicaStoppedAndStartedMidRollout_PicksItUpAtTheSameStep_RoutesTheSameIdsAlike_AndItEndsAsBefore()
    {
        var twin = await publisher.PublishAsync(InferenceTestModels.Onnx(51));
        // A longer canary step, so that it is still running when the replica comes back.
        var rollout = await publisher.Rollouts.StartAsync(twin, [QuickPlan[0], QuickPlan[1] with { MinRequests = 100 }]);
        using var controller = NewController();
        await controller.StartAsync(CancellationToken.None);

        Rollout inCanary;
        var before = new Dictionary<string, string?>();
        await using (var replica = await StartReplicaAsync())
        {
            await WaitForCandidateAsync(replica, rollout);
            inCanary = await SendUntilAsync(replica, r => r?.Step == 1, "the rollout to reach canary");
            await WaitForCandidateAsync(replica, rollout, step: 1);
            foreach (var id in Enumerable.Range(0, 40).Select(i => $"retried-{i}")) before[id] = (await traffic.SendAsync(replica, id)).Version;
            await replica.Get<EvidencePublisher>().ReportAsync();
        }

        // The replica is gone; another process starts on the same Redis in the middle of the canary step.
        await using var restarted = await StartReplicaAsync();
        await WaitForCandidateAsync(restarted, rollout, step: 1);
        Assert.Equal(inCanary.StepStartedAt, (await publisher.Rollouts.GetAsync())?.StepStartedAt); // the same step, not begun again
        foreach (var (id, version) in before) Assert.Equal(version, (await traffic.SendAsync(restarted, id)).Version);
        Assert.Contains(twin, before.Values); // the ids met both versions, so "the same" means something
        Assert.Contains(production, before.Values);

        var ended = await traffic.UntilEndedAsync(publisher.Rollouts, rollout.Id, restarted, TimeSpan.FromSeconds(60));

        Assert.Equal(RolloutDecisionKind.Promoted, ended.Kind);
        Assert.Equal([RolloutDecisionKind.Started, RolloutDecisionKind.Advanced, RolloutDecisionKind.Promoted], await KindsAsync(rollout));
        Assert.All(traffic.Answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    [Fact]
    public async Task AReplicaThatJoinsLate_LoadsTheCandidate_AndRoutesEveryIdAsTheFirstOneDoes()
    {
        const double share = 0.3;
        var candidate = await publisher.PublishAsync(InferenceTestModels.Onnx(52));
        await using var early = await StartReplicaAsync();
        var rollout = await publisher.Rollouts.StartAsync(candidate, [new(RolloutMode.Canary, share, MinRequests: 1000, TimeSpan.FromMinutes(5))]);
        await WaitForCandidateAsync(early, rollout);

        await using var late = await StartReplicaAsync();
        await WaitForCandidateAsync(late, rollout);

        var toCandidate = 0;
        for (var i = 0; i < 100; i++)
        {
            var id = $"both-{i}";
            var expected = RolloutTraffic.InShare(rollout, id, share) ? candidate : production;
            Assert.Equal(expected, (await traffic.SendAsync(early, id)).Version);
            Assert.Equal(expected, (await traffic.SendAsync(late, id)).Version);
            if (expected == candidate) toCandidate++;
        }
        Assert.InRange(toCandidate, 15, 45);
    }

    private Task<TrainerTestApp> StartTrainerAsync(TinyFerData data) =>
        TrainerTestApp.StartAsync(redis.ConnectionString, prefix, data.Root, new Dictionary<string, string?> { ["Registry:KeyPrefix"] = prefix });

    private RolloutController NewController() =>
        new(publisher.Rollouts, publisher.Registry, TimeProvider.System, NullLogger<RolloutController>.Instance);

    private async Task<InferenceHost> StartReplicaAsync()
    {
        var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(production);
        return replica;
    }

    /// <summary>Sends requests until the rollout record satisfies <paramref name="done"/>; returns it.</summary>
    private async Task<Rollout> SendUntilAsync(InferenceHost replica, Func<Rollout?, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 10; i++) await traffic.SendAsync(replica);
            if (await publisher.Rollouts.GetAsync() is { } rollout && done(rollout)) return rollout;
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    private async Task<IReadOnlyList<RolloutDecisionKind>> KindsAsync(Rollout rollout) =>
        [.. (await publisher.Rollouts.GetDecisionsAsync()).Where(d => d.RolloutId == rollout.Id).Reverse().Select(d => d.Kind)];

    private static async Task WaitForCandidateAsync(InferenceHost replica, Rollout rollout, int step = 0) =>
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rollout.Id && target.Step == step,
            TimeSpan.FromSeconds(30), $"rollout {rollout.Id} to be served at step {step}");
}
