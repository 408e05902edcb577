using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Fer.Registry;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Fer.Registry.Monitoring;
using Fer.Registry.Telemetry;
using Fer.Tests.Infrastructure;
using Fer.Tests.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Fer.Tests.Registry;

/// <summary>
/// The registry contract, run against every store the product supports (see the derived classes): each test works
/// under its own key prefix, so tests share one server per class.
/// </summary>
public abstract class ModelRegistryTests<TStore>(TStore store) : IClassFixture<TStore>, IAsyncLifetime
    where TStore : class, IRedisStoreFixture
{
    private const int SmallChunk = 64 * 1024;

    private readonly string prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ConnectionMultiplexer? connection;

    protected TStore Store { get; } = store;

    protected ConnectionMultiplexer Redis => connection ?? throw new InvalidOperationException("not initialised");

    protected IDatabase Db => Redis.GetDatabase();

    protected IMeterFactory MeterFactory => services.GetRequiredService<IMeterFactory>();

    public async Task InitializeAsync() => connection = await Store.ConnectAsync();

    public async Task DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Publish_ThenFetch_ReturnsTheSameBytes_SplitIntoManyChunks()
    {
        var registry = CreateRegistry();
        var onnx = RandomBytes(10_000_003, seed: 1); // 10 MB, not a multiple of the chunk size

        var info = await registry.PublishAsync(Request(onnx));
        var artifact = await registry.FetchAsync(info.Version);

        Assert.Equal(153, info.ChunkCount); // ceil(10_000_003 / 65_536)
        Assert.Equal(onnx.Length, info.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onnx)), info.Sha256);
        Assert.True(onnx.AsSpan().SequenceEqual(artifact.Onnx));
        Assert.Equal(info, artifact.Info);
        Assert.Equal(10_000_003 - 152 * SmallChunk, (await Db.StringGetAsync(registry.Keys.Chunk(info.Version, 152))).Length());
        Assert.Equal(RedisValue.Null, await Db.StringGetAsync(registry.Keys.Chunk(info.Version, 153)));
    }

    [Fact]
    public async Task Publish_WithTheDefaultFourMebibyteChunks_RoundTrips()
    {
        var registry = CreateRegistry(options => options.ChunkSizeBytes = new RegistryOptions().ChunkSizeBytes);
        var onnx = RandomBytes(9 * 1024 * 1024, seed: 17);

        var info = await registry.PublishAsync(Request(onnx));

        Assert.Equal((3, 4 * 1024 * 1024), (info.ChunkCount, info.ChunkSizeBytes));
        var artifact = await registry.FetchAsync(info.Version);
        Assert.True(onnx.AsSpan().SequenceEqual(artifact.Onnx));
    }

    [Fact]
    public async Task Publish_LeavesNoExpiryOnTheChunksOfAFinishedVersion()
    {
        var registry = CreateRegistry();
        var info = await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed: 2)));

        for (var index = 0; index < info.ChunkCount; index++)
            Assert.Null(await Db.KeyTimeToLiveAsync(registry.Keys.Chunk(info.Version, index)));
    }

    [Fact]
    public async Task List_ReturnsVersionsInPublishOrder_WithIdsThatSortAsText()
    {
        var registry = CreateRegistry();
        for (var seed = 0; seed < 3; seed++) await registry.PublishAsync(Request(RandomBytes(1000, seed)));

        var versions = (await registry.ListAsync()).Select(info => info.Version).ToList();

        Assert.True(VersionIds.TryParse(versions[0], out _, out var generation));
        Assert.Equal([VersionIds.Format(1, generation), VersionIds.Format(2, generation), VersionIds.Format(3, generation)], versions);
        Assert.Equal(versions, versions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetMetadata_ReturnsEverythingThatWasPublished()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 5, 30, 0, TimeSpan.Zero));
        var registry = CreateRegistry(time: time);
        var parent = await registry.PublishAsync(Request(RandomBytes(100, seed: 3)));
        time.Advance(TimeSpan.FromMinutes(90));

        var published = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = RandomBytes(5000, seed: 4),
            MetricsJson = """{"valMacroF1":0.612,"valAccuracy":0.667}""",
            ImageSize = 224,
            DatasetFingerprint = "sha256:abc123",
            TrainingOptionsJson = """{"epochs1":3,"epochs2":2,"recipe":"seed"}""",
            ParentVersion = parent.Version,
        });
        var read = await registry.GetMetadataAsync(published.Version);

        Assert.Equal(published, read);
        Assert.Equal(time.GetUtcNow(), read.CreatedAt);
        Assert.Equal(0.612, JsonDocument.Parse(read.MetricsJson).RootElement.GetProperty("valMacroF1").GetDouble());
        Assert.Equal(224, read.ImageSize);
        Assert.Equal("sha256:abc123", read.DatasetFingerprint);
        Assert.Equal("seed", JsonDocument.Parse(read.TrainingOptionsJson).RootElement.GetProperty("recipe").GetString());
        Assert.Equal(parent.Version, read.ParentVersion);
        Assert.Null(parent.ParentVersion);
        Assert.Equal((5000L, 1, SmallChunk), (read.SizeBytes, read.ChunkCount, read.ChunkSizeBytes));
        Assert.Equal("224", (string?)await Db.HashGetAsync(registry.Keys.Metadata(published.Version), "imageSize"));
    }

    [Fact]
    public async Task UnknownVersion_IsATypedNotFound_ForEveryRead()
    {
        var registry = CreateRegistry();
        await registry.PublishAsync(Request(RandomBytes(100, seed: 5)));

        foreach (var version in new[] { "v0099", "latest", "v1" })
        {
            var fetch = await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.FetchAsync(version));
            Assert.Equal(version, fetch.Version);
            Assert.Contains($"'{version}'", fetch.Message);
            await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.GetMetadataAsync(version));
            await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.PromoteAsync(version));
            Assert.Null(await registry.TryGetMetadataAsync(version));
        }
        Assert.Null(await registry.GetProductionVersionAsync());
        Assert.Null(await registry.FetchProductionAsync());
    }

    [Fact]
    public async Task PromoteAndRollback_MoveProduction_AndAreAnnouncedToSubscribers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
        var registry = CreateRegistry(time: time);
        var v1 = (await registry.PublishAsync(Request(RandomBytes(2000, seed: 6)))).Version;
        var v2 = (await registry.PublishAsync(Request(RandomBytes(2000, seed: 7)))).Version;

        // A replica: its own connection, subscribed to the same registry.
        await using var replicaConnection = await Store.ConnectAsync();
        var announcements = Channel.CreateUnbounded<ProductionChange>();
        await using var subscription = await CreateRegistry(connection: replicaConnection)
            .SubscribeAsync(change => announcements.Writer.WriteAsync(change).AsTask());

        var first = (await registry.PromoteAsync(v1, "first model"))!;
        time.Advance(TimeSpan.FromMinutes(1));
        var second = (await registry.PromoteAsync(v2, "if-better: 0.62 > 0.60"))!;
        Assert.Null(await registry.PromoteAsync(v2, "again")); // already production: no change, no announcement
        time.Advance(TimeSpan.FromMinutes(1));
        var rollback = await registry.RollbackAsync("regression reported");

        Assert.Equal(new ProductionChange(ProductionChangeKind.Promoted, v1, null, "first model", time.GetUtcNow().AddMinutes(-2)), first);
        Assert.Equal(new ProductionChange(ProductionChangeKind.Promoted, v2, v1, "if-better: 0.62 > 0.60", time.GetUtcNow().AddMinutes(-1)), second);
        Assert.Equal(new ProductionChange(ProductionChangeKind.RolledBack, v1, v2, "regression reported", time.GetUtcNow()), rollback);
        Assert.Equal(v1, await registry.GetProductionVersionAsync());
        Assert.Equal([v1], await registry.GetProductionHistoryAsync());
        Assert.Equal([rollback, second, first], await registry.GetProductionEventsAsync());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<ProductionChange>();
        while (received.Count < 3) received.Add(await announcements.Reader.ReadAsync(timeout.Token));
        Assert.Equal([first, second, rollback], received);

        var raw = JsonDocument.Parse((string)(await Db.ListGetByIndexAsync(registry.Keys.ProductionEvents, 0))!).RootElement;
        Assert.Equal("rolledBack", raw.GetProperty("kind").GetString());
        Assert.Equal(v2, raw.GetProperty("previousVersion").GetString());

        var production = await registry.FetchProductionAsync();
        Assert.Equal(v1, production!.Info.Version);
    }

    [Fact]
    public async Task Rollback_WithoutAnEarlierProduction_SaysSo()
    {
        var registry = CreateRegistry();
        var none = await Assert.ThrowsAsync<RollbackUnavailableException>(() => registry.RollbackAsync());
        Assert.Contains("no model version was ever promoted", none.Message);

        var v1 = (await registry.PublishAsync(Request(RandomBytes(100, seed: 8)))).Version;
        await registry.PromoteAsync(v1);
        var single = await Assert.ThrowsAsync<RollbackUnavailableException>(() => registry.RollbackAsync());
        Assert.Equal(v1, single.CurrentProduction);
        Assert.Contains($"'{v1}' has no earlier production version", single.Message);
        Assert.Equal(v1, await registry.GetProductionVersionAsync());
    }

    [Fact]
    public async Task Promotion_IsAtomic_AReaderNeverSeesProductionOnAVersionThatIsStillBeingWritten()
    {
        var registry = CreateRegistry();
        var first = await registry.PublishAsync(Request(RandomBytes(100_000, seed: 9)));
        await registry.PromoteAsync(first.Version);
        var large = RandomBytes(24 * 1024 * 1024, seed: 10); // 384 chunks, written one at a time
        var next = VersionIds.Format((long)await Db.HashGetAsync(registry.Keys.Generation, "next") + 1,
            (string)(await Db.HashGetAsync(registry.Keys.Generation, "id"))!);

        using var stop = new CancellationTokenSource();
        var seen = new ConcurrentDictionary<string, int>();
        var reader = Task.Run(async () =>
        {
            await using var readerConnection = await Store.ConnectAsync();
            var replica = CreateRegistry(connection: readerConnection);
            while (!stop.IsCancellationRequested)
            {
                var version = await replica.GetProductionVersionAsync();
                await replica.FetchAsync(version!); // throws if the pointer ran ahead of the data
                seen.AddOrUpdate(version!, 1, (_, count) => count + 1);
            }
        });

        // Keeps trying to promote the version that is being written: it must fail until the version is complete.
        var refusals = 0;
        var promoter = Task.Run(async () =>
        {
            await using var promoterConnection = await Store.ConnectAsync();
            var admin = CreateRegistry(connection: promoterConnection);
            while (!await promoterConnection.GetDatabase().KeyExistsAsync(registry.Keys.Chunk(next, 0))) await Task.Yield();
            while (true)
            {
                try
                {
                    await admin.PromoteAsync(next, "race");
                    return (await admin.GetMetadataAsync(next)).Sha256;
                }
                catch (ModelVersionNotFoundException)
                {
                    refusals++;
                }
            }
        });

        var published = await CreateRegistry(options => options.MaxChunksInFlight = 1).PublishAsync(Request(large));
        var promotedSha = await promoter.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.GetValueOrDefault(next) < 2 && DateTime.UtcNow < deadline && !reader.IsCompleted) await Task.Delay(10);
        await stop.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(next, published.Version);
        Assert.Equal(published.Sha256, promotedSha);
        Assert.True(refusals > 0, "the promoter never raced the publish, so the test proved nothing");
        Assert.True(seen.GetValueOrDefault(first.Version) > 0, "the reader never read the first production version");
        Assert.True(seen.GetValueOrDefault(next) >= 2, $"the reader never saw the new production version (saw: {string.Join(", ", seen)})");
        Assert.Equal(next, await registry.GetProductionVersionAsync());
    }

    [Fact]
    public async Task Publish_AfterTheServerLosesItsData_NeverReusesAVersionName()
    {
        var registry = CreateRegistry();
        var before = new List<string>();
        for (var seed = 0; seed < 3; seed++) before.Add((await registry.PublishAsync(Request(RandomBytes(1000, seed)))).Version);
        await registry.PromoteAsync(before[^1]);

        await Redis.GetServer(Redis.GetEndPoints()[0]).FlushAllDatabasesAsync();
        var after = await registry.PublishAsync(Request(RandomBytes(1000, seed: 99)));

        Assert.DoesNotContain(after.Version, before);
        Assert.True(VersionIds.TryParse(after.Version, out var number, out var generation));
        Assert.Equal(1, number); // the counter was lost with the data ...
        Assert.True(VersionIds.TryParse(before[0], out _, out var oldGeneration));
        Assert.NotEqual(oldGeneration, generation); // ... and a new generation keeps the name new
        await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.FetchAsync(before[0]));
    }

    [Fact]
    public async Task Publish_AfterTheGenerationKeyAloneIsLost_ContinuesTheNumbering()
    {
        var registry = CreateRegistry();
        var first = await registry.PublishAsync(Request(RandomBytes(1000, seed: 1)));
        var second = await registry.PublishAsync(Request(RandomBytes(1000, seed: 2)));

        await Db.KeyDeleteAsync(registry.Keys.Generation); // e.g. evicted
        var third = await registry.PublishAsync(Request(RandomBytes(1000, seed: 3)));

        Assert.True(VersionIds.TryParse(third.Version, out var number, out _));
        Assert.Equal(3, number);
        Assert.DoesNotContain(third.Version, new[] { first.Version, second.Version });
        Assert.Equal([first.Version, second.Version, third.Version], (await registry.ListAsync()).Select(info => info.Version));
    }

    [Fact]
    public async Task Promote_RefusesADamagedOrIncompleteVersion_AndLeavesProductionWhereItWas()
    {
        var registry = CreateRegistry();
        var good = await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed: 21)));
        await registry.PromoteAsync(good.Version);
        var flipped = await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed: 22)));
        var chunk = (byte[])(await Db.StringGetAsync(registry.Keys.Chunk(flipped.Version, 1)))!;
        chunk[7] ^= 0x80; // one bit, same length: only the checksum can tell
        await Db.StringSetAsync(registry.Keys.Chunk(flipped.Version, 1), chunk);
        var incomplete = await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed: 23)));
        await Db.KeyDeleteAsync(registry.Keys.Chunk(incomplete.Version, 2));

        var checksum = await Assert.ThrowsAsync<ModelPromotionRefusedException>(() => registry.PromoteAsync(flipped.Version));
        var missing = await Assert.ThrowsAsync<ModelPromotionRefusedException>(() => registry.PromoteAsync(incomplete.Version));

        Assert.IsType<ModelChecksumMismatchException>(checksum.InnerException);
        Assert.Contains($"'{flipped.Version}' was not promoted", checksum.Message);
        Assert.Contains("chunk 2 of 3 is missing", missing.Message);
        Assert.Equal(good.Version, await registry.GetProductionVersionAsync());
        Assert.Equal([good.Version], await registry.GetProductionHistoryAsync());
    }

    [Fact]
    public async Task CorruptChunk_FailsTheReadWithAChecksumErrorNamingTheVersion()
    {
        var registry = CreateRegistry();
        var info = await registry.PublishAsync(Request(RandomBytes(5 * SmallChunk, seed: 11)));
        await registry.PromoteAsync(info.Version);
        var key = registry.Keys.Chunk(info.Version, 2);
        var chunk = (byte[])(await Db.StringGetAsync(key))!;
        chunk[1234] ^= 0x01; // one bit, same length
        await Db.StringSetAsync(key, chunk);

        var error = await Assert.ThrowsAsync<ModelChecksumMismatchException>(() => registry.FetchAsync(info.Version));
        Assert.Equal(info.Version, error.Version);
        Assert.Contains($"'{info.Version}' failed its checksum", error.Message);
        Assert.Equal(info.Sha256, error.ExpectedSha256);
        Assert.NotEqual(info.Sha256, error.ActualSha256);
        await Assert.ThrowsAsync<ModelChecksumMismatchException>(() => registry.FetchProductionAsync());
    }

    [Fact]
    public async Task MissingOrTruncatedChunk_FailsTheReadNamingTheVersionAndTheChunk()
    {
        var registry = CreateRegistry();
        var info = await registry.PublishAsync(Request(RandomBytes(5 * SmallChunk, seed: 12)));
        await Db.KeyDeleteAsync(registry.Keys.Chunk(info.Version, 3));

        var missing = await Assert.ThrowsAsync<ModelChunkMissingException>(() => registry.FetchAsync(info.Version));
        Assert.Equal((info.Version, 3, 5), (missing.Version, missing.ChunkIndex, missing.ChunkCount));
        Assert.Contains($"'{info.Version}' is damaged: chunk 3 of 5 is missing", missing.Message);

        var other = await registry.PublishAsync(Request(RandomBytes(5 * SmallChunk, seed: 13)));
        await Db.StringSetAsync(registry.Keys.Chunk(other.Version, 0), RandomBytes(100, seed: 14));
        var truncated = await Assert.ThrowsAsync<ModelIntegrityException>(() => registry.FetchAsync(other.Version));
        Assert.Equal(other.Version, truncated.Version);
        Assert.Contains("chunk 0 of 5 holds 100 bytes", truncated.Message);
    }

    [Fact]
    public async Task Retention_DeletesTheOldest_ButKeepsProductionAndTheRollbackTarget()
    {
        var registry = CreateRegistry(options => options.RetainVersions = 2);
        var ids = new List<string>();
        for (var seed = 0; seed < 2; seed++) ids.Add((await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed + 20)))).Version);
        await registry.PromoteAsync(ids[0]);
        await registry.PromoteAsync(ids[1]); // production v0002, rollback target v0001
        for (var seed = 2; seed < 6; seed++) ids.Add((await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed + 20)))).Version);

        // ids[0..5] are v0001..v0006.
        Assert.Equal([ids[0], ids[1], ids[4], ids[5]], (await registry.ListAsync()).Select(info => info.Version));
        foreach (var deleted in new[] { ids[2], ids[3] })
        {
            await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.FetchAsync(deleted));
            Assert.Empty(await KeysOfAsync(registry, deleted));
        }
        Assert.Equal(4, (await KeysOfAsync(registry, ids[4])).Count); // metadata + 3 chunks

        Assert.Equal(ids[0], (await registry.RollbackAsync()).Version);
        var seventh = await registry.PublishAsync(Request(RandomBytes(3 * SmallChunk, seed: 30)));
        // v0002 is neither production nor a rollback target any more; v0001 (production) stays.
        Assert.Equal([ids[0], ids[5], seventh.Version], (await registry.ListAsync()).Select(info => info.Version));
        Assert.Equal([ids[0]], await registry.GetProductionHistoryAsync());
        Assert.Equal(SHA256.HashData(RandomBytes(3 * SmallChunk, 20)), SHA256.HashData((await registry.FetchProductionAsync())!.Onnx));
    }

    [Fact]
    public async Task DamagedMetadata_FailsTheRead_AndRetentionLeavesTheVersionAlone()
    {
        var registry = CreateRegistry(options => options.RetainVersions = 1);
        var damaged = await registry.PublishAsync(Request(RandomBytes(1000, seed: 31)));
        await Db.HashDeleteAsync(registry.Keys.Metadata(damaged.Version), "sha256");

        var error = await Assert.ThrowsAsync<ModelIntegrityException>(() => registry.FetchAsync(damaged.Version));
        Assert.Equal($"model version '{damaged.Version}' has damaged metadata: field 'sha256' is missing", error.Message);

        var next = await registry.PublishAsync(Request(RandomBytes(1000, seed: 32))); // retention runs and skips it
        Assert.Empty(await registry.ApplyRetentionAsync());
        Assert.True(await Db.KeyExistsAsync(registry.Keys.Chunk(damaged.Version, 0)));
        Assert.Equal(1000, (await registry.FetchAsync(next.Version)).Onnx.Length);
    }

    /// <summary>Issue 27: a version published without a monitoring reference gets one beside it, written once (like a
    /// version), replaced only when forced, never shadowing a reference the version shipped with, and removed with the version.</summary>
    [Fact]
    public async Task AttachedReference_IsWrittenOnce_NeverShadowsAVersionsOwn_AndGoesWithItsVersion()
    {
        var registry = CreateRegistry(options =>
        {
            options.RetainVersions = 1;
            options.ApplyRetentionOnPublish = false;
        });
        var references = new MonitoringReferenceStore(registry, Redis, TimeProvider.System);
        var first = BundledReplay.Reference with { Count = 1 };
        var second = BundledReplay.Reference with { Count = 2 };
        var bare = await registry.PublishAsync(Request(RandomBytes(1000, seed: 40)));
        var shipped = await registry.PublishAsync(Request(RandomBytes(1000, seed: 41)) with
        {
            MetricsJson = BundledReplay.MetricsJson(valMacroF1: 0.5),
        });
        Assert.Null(await references.GetEffectiveAsync(bare.Version));

        Assert.Equal(ReferenceAttachOutcome.Attached, await references.AttachAsync(bare.Version, first, "first"));
        Assert.Equal(ReferenceAttachOutcome.AlreadyAttached, await references.AttachAsync(bare.Version, second, "second"));
        Assert.Equal(first.ToJson(), (await references.GetEffectiveAsync(bare.Version))!.ToJson());
        Assert.Equal("first", (await references.GetAttachedAsync(bare.Version))!.Source);
        Assert.Equal(ReferenceAttachOutcome.Attached, await references.AttachAsync(bare.Version, second, "second", force: true));
        Assert.Equal(second.ToJson(), (await references.GetEffectiveAsync(bare.Version))!.ToJson());

        Assert.Equal(ReferenceAttachOutcome.VersionHasItsOwn, await references.AttachAsync(shipped.Version, first, "first", force: true));
        Assert.False(await Db.KeyExistsAsync(registry.Keys.MonitoringReference(shipped.Version)));
        Assert.Equal(BundledReplay.Reference.ToJson(), (await references.GetEffectiveAsync(shipped.Version))!.ToJson());

        Assert.Equal(ReferenceAttachOutcome.VersionNotFound, await references.AttachAsync("v0042-abcdef", first, "first"));
        Assert.False(await Db.KeyExistsAsync(registry.Keys.MonitoringReference("v0042-abcdef")));

        // Retention keeps only the newest version: the older one goes, and the reference attached to it with it.
        Assert.Equal([bare.Version], await registry.ApplyRetentionAsync());
        Assert.False(await Db.KeyExistsAsync(registry.Keys.MonitoringReference(bare.Version)));
        Assert.Equal(ReferenceAttachOutcome.VersionNotFound, await references.AttachAsync(bare.Version, first, "first"));
        Assert.False(await Db.KeyExistsAsync(registry.Keys.MonitoringReference(bare.Version)));
    }

    [Fact]
    public async Task Publish_RejectsBadInput_NamingTheField()
    {
        var registry = CreateRegistry();
        var onnx = RandomBytes(10, seed: 15);

        Assert.Contains("empty", (await Assert.ThrowsAsync<ArgumentException>(() => registry.PublishAsync(Request([])))).Message);
        Assert.Contains("MetricsJson", (await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.PublishAsync(Request(onnx) with { MetricsJson = "0.61" }))).Message);
        Assert.Contains("TrainingOptionsJson", (await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.PublishAsync(Request(onnx) with { TrainingOptionsJson = "{not json" }))).Message);
        Assert.Contains("ParentVersion 'abc'", (await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.PublishAsync(Request(onnx) with { ParentVersion = "abc" }))).Message);
        Assert.Empty(await registry.ListAsync());
    }

    [Fact]
    public async Task Operations_EmitSpansAndMetrics()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RegistryTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem(RegistryTelemetry.KeyPrefixTag) == prefix)
                    lock (spans) spans.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new List<(string Name, long Value, string? Tag)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == MeterFactory) l.EnableMeasurementEvents(instrument);
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = tags.Length > 0 ? tags[0].Value?.ToString() : null;
            lock (measurements) measurements.Add((instrument.Name, value, tag));
        });
        meterListener.Start();

        var registry = CreateRegistry();
        var info = await registry.PublishAsync(Request(RandomBytes(2 * SmallChunk + 1, seed: 16)));
        await registry.FetchAsync(info.Version);
        await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => registry.FetchAsync("v0042"));
        await registry.PromoteAsync(info.Version);

        lock (spans)
        {
            var publish = Assert.Single(spans, span => span.OperationName == RegistryTelemetry.PublishSpan);
            Assert.Equal(info.Version, publish.GetTagItem(RegistryTelemetry.VersionTag));
            Assert.Equal(3, publish.GetTagItem(RegistryTelemetry.ChunksTag));
            var fetches = spans.Where(span => span.OperationName == RegistryTelemetry.FetchSpan).ToList();
            Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Error], fetches.Select(span => span.Status));
            var promote = Assert.Single(spans, span => span.OperationName == RegistryTelemetry.PromoteSpan);
            Assert.Equal(info.Version, promote.GetTagItem(RegistryTelemetry.VersionTag));
        }
        lock (measurements)
        {
            Assert.Contains((RegistryMetrics.PublishesName, 1L, (string?)null), measurements);
            Assert.Contains((RegistryMetrics.PublishedBytesName, 2L * SmallChunk + 1, (string?)null), measurements);
            Assert.Contains((RegistryMetrics.FetchesName, 1L, "ok"), measurements);
            Assert.Contains((RegistryMetrics.FetchesName, 1L, "not_found"), measurements);
            Assert.Contains((RegistryMetrics.ProductionChangesName, 1L, "promoted"), measurements);
        }
    }

    protected ModelRegistry CreateRegistry(
        Action<RegistryOptions>? configure = null, TimeProvider? time = null, IConnectionMultiplexer? connection = null)
    {
        var options = new RegistryOptions { KeyPrefix = prefix, ChunkSizeBytes = SmallChunk };
        configure?.Invoke(options);
        return new ModelRegistry(connection ?? Redis, Options.Create(options), new RegistryMetrics(MeterFactory),
            time ?? TimeProvider.System, NullLogger<ModelRegistry>.Instance);
    }

    protected static ModelPublishRequest Request(byte[] onnx) => new()
    {
        Onnx = onnx,
        MetricsJson = """{"valMacroF1":0.5}""",
        ImageSize = 224,
        DatasetFingerprint = "test",
    };

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<List<string>> KeysOfAsync(ModelRegistry registry, string version)
    {
        var server = Redis.GetServer(Redis.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: $"{registry.Keys.Prefix}:model:{version}:*")) keys.Add(key.ToString());
        return keys;
    }
}
