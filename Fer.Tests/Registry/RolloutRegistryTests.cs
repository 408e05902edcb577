using Fer.Registry;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Fer.Registry.Rollouts;
using Fer.Registry.Telemetry;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Fer.Tests.Registry;

/// <summary>The rollout record on every store the product supports: started only for a sound version beside production,
/// changed only from the state the caller read, every decision logged and announced.</summary>
public abstract class RolloutRegistryTests<TStore>(TStore store) : IClassFixture<TStore>, IAsyncLifetime
    where TStore : class, IRedisStoreFixture
{
    private readonly string prefix = "rollout-" + Guid.NewGuid().ToString("N")[..12];
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private ConnectionMultiplexer connection = null!;
    private ModelRegistry registry = null!;
    private RolloutRegistry rollouts = null!;

    public async Task InitializeAsync()
    {
        connection = await store.ConnectAsync();
        var options = Options.Create(new RegistryOptions { KeyPrefix = prefix, ChunkSizeBytes = 64 * 1024 });
        registry = new ModelRegistry(connection, options, new RegistryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            time, NullLogger<ModelRegistry>.Instance);
        rollouts = new RolloutRegistry(registry, connection, options, time);
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Start_PutsTheCandidateBesideProduction_AtTheFirstStep_AndAnnouncesIt()
    {
        var (production, candidate) = await ProductionAndCandidateAsync();
        var announced = new List<ProductionChange>();
        await using var subscription = await registry.SubscribeAsync(change =>
        {
            lock (announced) announced.Add(change);
            return Task.CompletedTask;
        });

        var rollout = await rollouts.StartAsync(candidate, reason: "trained run 7");

        Assert.Equal((candidate, production, 0, RolloutMode.Shadow, 0.5), (rollout.Candidate, rollout.Baseline, rollout.Step, rollout.Mode, rollout.Share));
        var stored = (await rollouts.GetAsync())!;
        Assert.Equal((rollout.Id, rollout.Step, rollout.StartedAt, rollout.Reason), (stored.Id, stored.Step, stored.StartedAt, stored.Reason));
        Assert.Equal(Rollout.DefaultSteps, stored.Steps);
        Assert.Equal(production, await registry.GetProductionVersionAsync());
        var started = Assert.Single(await rollouts.GetDecisionsAsync());
        Assert.Equal((RolloutDecisionKind.Started, "trained run 7", candidate), (started.Kind, started.Reason, started.Candidate));
        await Poll.UntilAsync(() => Task.FromResult(announced.Count), count => count == 1, TimeSpan.FromSeconds(10), "the announcement");
        Assert.Equal((ProductionChangeKind.RolloutStarted, candidate, production), (announced[0].Kind, announced[0].Version, announced[0].PreviousVersion));
    }

    [Fact]
    public async Task Start_RefusesADamagedVersion_AndLeavesNoRollout()
    {
        var (_, candidate) = await ProductionAndCandidateAsync();
        await connection.GetDatabase().KeyDeleteAsync(registry.Keys.Chunk(candidate, 1));

        await Assert.ThrowsAsync<ModelPromotionRefusedException>(() => rollouts.StartAsync(candidate));

        Assert.Null(await rollouts.GetAsync());
    }

    [Fact]
    public async Task Start_RefusesASecondRollout_ProductionItself_AndARegistryWithoutProduction()
    {
        var first = (await registry.PublishAsync(Request(1))).Version;
        Assert.Contains("no production version", (await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.StartAsync(first))).Message);
        await registry.PromoteAsync(first);
        Assert.Contains("production already", (await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.StartAsync(first))).Message);
        var second = (await registry.PublishAsync(Request(2))).Version;
        var third = (await registry.PublishAsync(Request(3))).Version;
        await rollouts.StartAsync(second);

        var refused = await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.StartAsync(third));

        Assert.Contains($"'{second}' is in rollout already", refused.Message);
        Assert.Equal(second, (await rollouts.GetAsync())!.Candidate);
    }

    [Fact]
    public async Task Advance_ThenPromote_MakesTheCandidateProduction_WithEveryDecisionLogged()
    {
        var (production, candidate) = await ProductionAndCandidateAsync();
        var rollout = await rollouts.StartAsync(candidate);
        time.Advance(TimeSpan.FromMinutes(3));

        var (canary, _) = await rollouts.AdvanceAsync(rollout, "agreement 0.91 over 240 faces", """{"agreement":0.91}""", "trace-1");
        var promoted = await rollouts.PromoteAsync(canary, "every gate held");

        Assert.Equal((1, RolloutMode.Canary, 0.10, time.GetUtcNow()), (canary.Step, canary.Mode, canary.Share, canary.StepStartedAt));
        Assert.Equal(RolloutDecisionKind.Promoted, promoted.Kind);
        Assert.Equal(candidate, await registry.GetProductionVersionAsync());
        Assert.Equal([candidate, production], await registry.GetProductionHistoryAsync());
        Assert.Null(await rollouts.GetAsync());
        var decisions = await rollouts.GetDecisionsAsync();
        Assert.Equal([RolloutDecisionKind.Promoted, RolloutDecisionKind.Advanced, RolloutDecisionKind.Started], decisions.Select(d => d.Kind));
        Assert.Equal(("""{"agreement":0.91}""", "trace-1"), (decisions[1].Evidence, decisions[1].TraceId));
    }

    [Fact]
    public async Task RollBack_AndAbort_EndTheRollout_WithProductionUnchanged()
    {
        var (production, candidate) = await ProductionAndCandidateAsync();
        var rollout = await rollouts.StartAsync(candidate);

        var rolledBack = await rollouts.RollBackAsync(rollout, "error rate 0.40 > production's 0.00 + 0.02");

        Assert.Equal(RolloutDecisionKind.RolledBack, rolledBack.Kind);
        Assert.Null(await rollouts.GetAsync());
        Assert.Equal(production, await registry.GetProductionVersionAsync());
        await rollouts.StartAsync(candidate);
        Assert.Equal(RolloutDecisionKind.Aborted, (await rollouts.AbortAsync("a person said stop")).Kind);
        Assert.Null(await rollouts.GetAsync());
        await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.AbortAsync());
    }

    [Fact]
    public async Task AStaleDecider_ChangesNothing()
    {
        var (_, candidate) = await ProductionAndCandidateAsync();
        var read = await rollouts.StartAsync(candidate);
        await rollouts.AdvanceAsync(read, "first decider");

        await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.AdvanceAsync(read, "second decider, on what it read before"));
        await Assert.ThrowsAsync<RolloutConflictException>(() => rollouts.RollBackAsync(read, "second decider"));

        Assert.Equal(1, (await rollouts.GetAsync())!.Step);
    }

    private async Task<(string Production, string Candidate)> ProductionAndCandidateAsync()
    {
        var production = (await registry.PublishAsync(Request(1))).Version;
        await registry.PromoteAsync(production);
        return (production, (await registry.PublishAsync(Request(2))).Version);
    }

    private static ModelPublishRequest Request(int seed)
    {
        var onnx = new byte[200_000];
        new Random(seed).NextBytes(onnx);
        return new ModelPublishRequest { Onnx = onnx, MetricsJson = """{"valMacroF1":0.5}""", ImageSize = 48, DatasetFingerprint = "test" };
    }
}

/// <summary>The rollout record on embedded Garnet.</summary>
public sealed class RolloutRegistryOnGarnetTests(GarnetFixture garnet) : RolloutRegistryTests<GarnetFixture>(garnet);

/// <summary>The rollout record on redis-server.</summary>
public sealed class RolloutRegistryOnRedisTests(RedisServerFixture redis) : RolloutRegistryTests<RedisServerFixture>(redis);
