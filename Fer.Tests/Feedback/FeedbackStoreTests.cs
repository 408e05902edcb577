using Fer.Registry;
using Fer.Registry.Feedback;
using Fer.Registry.Telemetry;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Fer.Tests.Feedback;

/// <summary>The feedback store on every store the product supports: bounded by count and by age, one entry per face, and
/// named by its content.</summary>
public abstract class FeedbackStoreTests<TStore>(TStore store) : IClassFixture<TStore>, IAsyncLifetime
    where TStore : class, IRedisStoreFixture
{
    private readonly string prefix = "feedback-store-" + Guid.NewGuid().ToString("N")[..12];
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private ConnectionMultiplexer connection = null!;
    private ModelRegistry registry = null!;

    public async Task InitializeAsync()
    {
        connection = await store.ConnectAsync();
        registry = new ModelRegistry(connection, Options.Create(new RegistryOptions { KeyPrefix = prefix }),
            new RegistryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), time, NullLogger<ModelRegistry>.Instance);
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task BeyondMaxEntries_TheOldestLabelsGoFirst()
    {
        var feedback = Store(maxEntries: 3, retention: TimeSpan.FromDays(1));
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(Math.Min(i + 1, 3), await feedback.AddAsync(Entry($"r-{i}", "happy")));
        }
        Assert.Equal(["r-2", "r-3", "r-4"], (await feedback.SnapshotAsync()).Entries.Select(e => e.Id));
        Assert.Equal(3, (await feedback.SummaryAsync()).Count);
        Assert.Equal(3L, await connection.GetDatabase().HashLengthAsync(feedback.Keys.Entries));
    }

    [Fact]
    public async Task PastTheRetention_LabelsAreGone()
    {
        var feedback = Store(maxEntries: 100, retention: TimeSpan.FromHours(1));
        await feedback.AddAsync(Entry("old", "sad"));
        time.Advance(TimeSpan.FromMinutes(40));
        await feedback.AddAsync(Entry("new", "fear"));
        time.Advance(TimeSpan.FromMinutes(30));

        var summary = await feedback.SummaryAsync();
        Assert.Equal(1, summary.Count);
        Assert.Equal(new Dictionary<string, int> { ["fear"] = 1 }, summary.PerEmotion);
        Assert.Equal(["new"], (await feedback.SnapshotAsync()).Entries.Select(e => e.Id));
        Assert.False(await connection.GetDatabase().HashExistsAsync(feedback.Keys.Entries, "old"));
    }

    [Fact]
    public async Task TheHash_NamesTheContent_WhateverTheOrderOfArrival()
    {
        var first = Store(100, TimeSpan.FromDays(1));
        var empty = (await first.SummaryAsync()).Hash;
        await first.AddAsync(Entry("a", "happy"));
        await first.AddAsync(Entry("b", "sad"));
        var hash = (await first.SnapshotAsync()).Hash;
        Assert.NotEqual(empty, hash);
        Assert.Equal(hash, (await first.SummaryAsync()).Hash);

        var again = new FeedbackStore(new ModelRegistry(connection, Options.Create(new RegistryOptions { KeyPrefix = prefix + "-2" }),
            new RegistryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), time, NullLogger<ModelRegistry>.Instance),
            connection, Options.Create(new FeedbackOptions()), time);
        await again.AddAsync(Entry("b", "sad"));
        await again.AddAsync(Entry("a", "happy"));
        Assert.Equal(hash, (await again.SnapshotAsync()).Hash);

        await again.AddAsync(Entry("a", "neutral")); // a correction changes the content, and so the hash
        Assert.NotEqual(hash, (await again.SnapshotAsync()).Hash);
    }

    [Fact]
    public async Task TheAccuracyPerVersion_IsTheShareOfLabelsEqualToItsAnswer_EvenForLabelsKeptBeforeAnswersWereIndexed()
    {
        var feedback = Store(maxEntries: 100, retention: TimeSpan.FromDays(1));
        Assert.Empty((await feedback.AccuracyAsync()).Versions);
        await feedback.AddAsync(Entry("a", "happy"));                  // v0001 answered happy: right
        await feedback.AddAsync(Entry("b", "sad"));                    // wrong
        await feedback.AddAsync(Entry("c", "sad"));                    // wrong
        await feedback.AddAsync(Entry("d", "happy") with { ModelVersion = "v0002-test", AnsweredEmotion = "fear" });
        await feedback.AddAsync(Entry("b", "happy"));                  // a correction: b is right after all
        var expected = new FeedbackAccuracy([new("v0001-test", 3, 2, 0.6667), new("v0002-test", 1, 0, 0)]);
        Assert.Equal(expected.Versions, (await feedback.AccuracyAsync()).Versions);

        // A store written before answers were indexed: they are read from the entries once, and indexed.
        await connection.GetDatabase().KeyDeleteAsync(feedback.Keys.Answers);
        Assert.Equal(expected.Versions, (await feedback.AccuracyAsync()).Versions);
        Assert.Equal(4L, await connection.GetDatabase().HashLengthAsync(feedback.Keys.Answers));

        // A label that leaves (here: retention) leaves the accuracy too.
        time.Advance(TimeSpan.FromDays(2));
        await feedback.AddAsync(Entry("e", "angry"));
        Assert.Equal([new FeedbackAccuracy.Version("v0001-test", 1, 0, 0)], (await feedback.AccuracyAsync()).Versions);
        Assert.Equal(1L, await connection.GetDatabase().HashLengthAsync(feedback.Keys.Answers));
    }

    private FeedbackStore Store(int maxEntries, TimeSpan retention) =>
        new(registry, connection, Options.Create(new FeedbackOptions { MaxEntries = maxEntries, Retention = retention }), time);

    private FeedbackEntry Entry(string id, string emotion) => new(id, emotion, "happy", "v0001-test",
        new Dictionary<string, float> { ["happy"] = 0.75f, ["sad"] = 0.25f }, [1, 2, 3], time.GetUtcNow());
}

/// <summary>The feedback store on embedded Garnet.</summary>
public sealed class FeedbackStoreOnGarnetTests(GarnetFixture garnet) : FeedbackStoreTests<GarnetFixture>(garnet);

/// <summary>The feedback store on redis-server.</summary>
public sealed class FeedbackStoreOnRedisTests(RedisServerFixture redis) : FeedbackStoreTests<RedisServerFixture>(redis);
