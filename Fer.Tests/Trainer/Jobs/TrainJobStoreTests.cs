using Fer.Contracts;
using Fer.Tests.Infrastructure;
using Fer.Trainer.Extensions;
using Fer.Trainer.Jobs;
using Fer.Training.Runs;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Tests.Trainer.Jobs;

/// <summary>Job records in a real store (see the derived classes: redis-server and Garnet), each test under its own prefix.</summary>
public abstract class TrainJobStoreTests<TStore>(TStore store) : IClassFixture<TStore>, IAsyncLifetime
    where TStore : class, IRedisStoreFixture
{
    private readonly TrainerOptions options = new() { KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..10], RecentJobs = 3 };
    private ConnectionMultiplexer? connection;

    private TrainJobStore Store => new(connection!, Options.Create(options));

    public async Task InitializeAsync() => connection = await RedisStores.ConnectAsync(store.ConnectionString);

    public async Task DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
    }

    [Fact]
    public async Task SavedJobs_ReadBack_AndListNewestFirst()
    {
        var jobs = Enumerable.Range(0, 3).Select(i => Job($"job-{i}", TrainJobState.Succeeded, minutesAgo: 10 - i)).ToList();
        foreach (var job in jobs) await Store.SaveAsync(job, "me");

        Assert.Equal(jobs[1], await Store.GetAsync("job-1"), new JobComparer());
        Assert.Null(await Store.GetAsync("job-9"));
        Assert.Equal(["job-2", "job-1", "job-0"], (await Store.ListRecentAsync(10)).Select(j => j.Id));
        Assert.Equal(["job-2", "job-1"], (await Store.ListRecentAsync(2)).Select(j => j.Id));
    }

    [Fact]
    public async Task OnlyTheMostRecentFinishedJobs_AreKept_ButNeverOneThatRuns()
    {
        await Store.SaveAsync(Job("old-running", TrainJobState.Running, minutesAgo: 60), "me");
        for (var i = 0; i < 5; i++) await Store.SaveAsync(Job($"done-{i}", TrainJobState.Failed, minutesAgo: 50 - i), "me");

        var kept = (await Store.ListRecentAsync(100)).Select(j => j.Id).ToList();
        Assert.Equal(["done-4", "done-3", "done-2", "old-running"], kept);
        Assert.Null(await Store.GetAsync("done-0"));
    }

    [Fact]
    public async Task MarkInterrupted_FailsTheUnfinishedJobsOfOtherTrainers_Only()
    {
        var now = DateTimeOffset.UtcNow;
        await Store.SaveAsync(Job("theirs-running", TrainJobState.Running, minutesAgo: 5), "dead");
        await Store.SaveAsync(Job("theirs-queued", TrainJobState.Queued, minutesAgo: 4), "dead");
        await Store.SaveAsync(Job("theirs-done", TrainJobState.Succeeded, minutesAgo: 3), "dead");
        await Store.SaveAsync(Job("mine-running", TrainJobState.Running, minutesAgo: 2), "me");

        var marked = await Store.MarkInterruptedAsync("me", now, "interrupted");

        Assert.Equal(["theirs-running", "theirs-queued"], marked);
        var failed = (await Store.GetAsync("theirs-running"))!;
        Assert.Equal(TrainJobState.Failed, failed.State);
        Assert.Equal("interrupted", failed.Error);
        Assert.Equal(now, failed.Timings.FinishedAt);
        Assert.Equal(TrainJobState.Succeeded, (await Store.GetAsync("theirs-done"))!.State);
        Assert.Equal(TrainJobState.Running, (await Store.GetAsync("mine-running"))!.State);
        Assert.Equal("failed", (string?)await connection!.GetDatabase().HashGetAsync(Store.JobKey("theirs-queued"), TrainJobStore.StateField));
        Assert.Empty(await Store.MarkInterruptedAsync("me", now, "interrupted"));
    }

    private static TrainJob Job(string id, TrainJobState state, int minutesAgo)
    {
        var created = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddMinutes(-minutesAgo);
        return new TrainJob
        {
            Id = id,
            State = state,
            Options = new TrainJobOptions { PhaseOneEpochs = 3, Promote = PromotionPolicy.Never },
            Stage = "training",
            Latest = new EpochRecord(1, 2, 0.9, 0.6, 1.0, 0.55, 0.5, 1e-4, 12.5, 300, FromFeatureCache: true),
            Timings = new TrainJobTimings { CreatedAt = created, StartedAt = created, UpdatedAt = created },
        };
    }

    // Records with collections compare by reference; compare their JSON instead.
    private sealed class JobComparer : IEqualityComparer<TrainJob?>
    {
        public bool Equals(TrainJob? x, TrainJob? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(TrainJob? obj) => 0;
    }
}
