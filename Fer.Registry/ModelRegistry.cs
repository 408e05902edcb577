using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Fer.Registry.Errors;
using Fer.Registry.Model;
using Fer.Registry.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>
/// Versioned, verifiable, promotable ONNX models in Redis or Garnet (key layout: README.md). Versions are immutable;
/// a version exists once its metadata hash exists, and that hash is written in the same transaction that makes its
/// chunks permanent, so nothing can point at a half-written version. Thread-safe; register it as a singleton.
/// </summary>
public sealed class ModelRegistry
{
    private const int MaxRaceAttempts = 16;
    private const string GenerationField = "id";
    private const string NextField = "next";

    /// <summary>Free memory kept beyond a new version's bytes, as a fraction of them: jemalloc stores a 4 MiB chunk (plus
    /// its header) in its 5 MiB size class, so a stored version can take 25 % more than its bytes; the rest is for keys
    /// and metadata. (0.1 let redis-server with allkeys-lru evict a version now and then in RegistryCapacityTests.)</summary>
    private const double CapacityHeadroom = 0.3;

    /// <summary>A chunk being received can hold up to twice its size in the server's query buffer while it grows.</summary>
    private const int InputBufferFactor = 2;

    private readonly IConnectionMultiplexer redis;
    private readonly RegistryOptions options;
    private readonly RegistryMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public ModelRegistry(
        IConnectionMultiplexer redis,
        IOptions<RegistryOptions> options,
        RegistryMetrics metrics,
        TimeProvider time,
        ILogger<ModelRegistry> logger)
    {
        RegistryOptionsValidator.ThrowIfInvalid(options.Value);
        this.redis = redis;
        this.options = options.Value;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
        Keys = new RegistryKeys(this.options.KeyPrefix);
    }

    public RegistryKeys Keys { get; }

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Stores a new version: chunks first (with an expiry), then one transaction that makes them permanent and writes
    /// the metadata and the index entry. Ends with a retention pass unless <see cref="RegistryOptions.ApplyRetentionOnPublish"/> is off.
    /// </summary>
    public async Task<ModelVersionInfo> PublishAsync(ModelPublishRequest request, CancellationToken cancellationToken = default)
    {
        ValidateRequest(request);
        var started = time.GetTimestamp();
        using var activity = StartActivity(RegistryTelemetry.PublishSpan);
        try
        {
            var db = Db;
            var onnx = request.Onnx;
            await EnsureCapacityAsync(onnx.Length, Math.Min(options.MaxChunksInFlight, (onnx.Length + options.ChunkSizeBytes - 1) / options.ChunkSizeBytes));
            var (number, generation) = await NextVersionNumberAsync(db);
            var version = VersionIds.Format(number, generation);
            var chunkSize = options.ChunkSizeBytes;
            var chunkCount = (onnx.Length + chunkSize - 1) / chunkSize;
            activity?.SetTag(RegistryTelemetry.VersionTag, version);
            activity?.SetTag(RegistryTelemetry.SizeTag, onnx.Length);
            activity?.SetTag(RegistryTelemetry.ChunksTag, chunkCount);

            var sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx.Span));
            await ForEachChunkAsync(chunkCount, async index =>
            {
                var offset = index * chunkSize;
                var chunk = onnx.Slice(offset, Math.Min(chunkSize, onnx.Length - offset));
                try
                {
                    await db.StringSetAsync(Keys.Chunk(version, index), chunk, expiry: options.PendingChunkTtl);
                }
                catch (RedisServerException e) when (e.Message.StartsWith("OOM", StringComparison.Ordinal))
                {
                    throw new RegistryCapacityException(
                        $"publishing a model of {onnx.Length:N0} bytes was refused: the registry's server is out of memory ({e.Message})");
                }
            }, cancellationToken);

            var info = new ModelVersionInfo
            {
                Version = version,
                CreatedAt = time.GetUtcNow(),
                MetricsJson = request.MetricsJson,
                ImageSize = request.ImageSize,
                DatasetFingerprint = request.DatasetFingerprint,
                TrainingOptionsJson = request.TrainingOptionsJson,
                ParentVersion = request.ParentVersion,
                SizeBytes = onnx.Length,
                ChunkCount = chunkCount,
                ChunkSizeBytes = chunkSize,
                Sha256 = sha256,
            };

            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.KeyNotExists(Keys.Metadata(version)));
            for (var index = 0; index < chunkCount; index++)
            {
                transaction.AddCondition(Condition.KeyExists(Keys.Chunk(version, index)));
                _ = transaction.KeyPersistAsync(Keys.Chunk(version, index));
            }
            _ = transaction.HashSetAsync(Keys.Metadata(version), MetadataHash.ToEntries(info));
            _ = transaction.SortedSetAddAsync(Keys.Versions, version, number);
            if (!await transaction.ExecuteAsync())
                throw new ModelRegistryException(
                    $"publishing model version '{version}' failed: its chunks expired before the publish finished " +
                    $"({RegistryOptions.SectionName}:{nameof(RegistryOptions.PendingChunkTtl)} is {options.PendingChunkTtl})", version);

            var elapsed = time.GetElapsedTime(started);
            metrics.Published(onnx.Length, elapsed);
            logger.Published(version, onnx.Length, chunkCount, sha256, elapsed.TotalMilliseconds);

            if (options.ApplyRetentionOnPublish)
            {
                try
                {
                    await ApplyRetentionAsync(cancellationToken);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ModelRegistryException)
                {
                    logger.RetentionFailed(e, version); // the version is published; the next publish retries retention
                }
            }
            return info;
        }
        catch (Exception e)
        {
            activity?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Reads a version back whole and verified, or throws: never partial or unverified bytes.</summary>
    /// <exception cref="ModelVersionNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelIntegrityException">A chunk is missing or damaged, or the SHA-256 does not match.</exception>
    /// <summary>
    /// Writes a version's ONNX bytes to <paramref name="destination"/> one chunk at a time (memory: one chunk, not the
    /// model), hashing as it goes; a missing or short chunk stops it, and a checksum that does not hold after the last
    /// chunk throws <see cref="ModelChecksumMismatchException"/>, so the caller can abort what it sent.
    /// </summary>
    public async Task CopyOnnxToAsync(ModelVersionInfo info, Stream destination, CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity(RegistryTelemetry.FetchSpan);
        activity?.SetTag(RegistryTelemetry.VersionTag, info.Version);
        activity?.SetTag(RegistryTelemetry.SizeTag, info.SizeBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var db = Db;
        for (var index = 0; index < info.ChunkCount; index++)
        {
            var expected = (int)Math.Min(info.ChunkSizeBytes, info.SizeBytes - (long)index * info.ChunkSizeBytes);
            using var chunk = await db.StringGetLeaseAsync(Keys.Chunk(info.Version, index))
                ?? throw new ModelChunkMissingException(info.Version, index, info.ChunkCount);
            if (chunk.Length != expected)
                throw new ModelIntegrityException(
                    $"model version '{info.Version}' is damaged: chunk {index} of {info.ChunkCount} holds {chunk.Length} bytes, expected {expected}", info.Version);
            hash.AppendData(chunk.Span);
            await destination.WriteAsync(chunk.Memory, cancellationToken);
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, info.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelChecksumMismatchException(info.Version, info.Sha256, actual);
    }

    public async Task<ModelArtifact> FetchAsync(string version, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        using var activity = StartActivity(RegistryTelemetry.FetchSpan);
        activity?.SetTag(RegistryTelemetry.VersionTag, version);
        try
        {
            var info = await GetMetadataAsync(version);
            activity?.SetTag(RegistryTelemetry.SizeTag, info.SizeBytes);
            activity?.SetTag(RegistryTelemetry.ChunksTag, info.ChunkCount);

            var db = Db;
            var onnx = new byte[info.SizeBytes];
            await ForEachChunkAsync(info.ChunkCount, async index =>
            {
                var offset = (long)index * info.ChunkSizeBytes;
                var expected = (int)Math.Min(info.ChunkSizeBytes, info.SizeBytes - offset);
                using var chunk = await db.StringGetLeaseAsync(Keys.Chunk(version, index))
                    ?? throw new ModelChunkMissingException(version, index, info.ChunkCount);
                if (chunk.Length != expected)
                    throw new ModelIntegrityException(
                        $"model version '{version}' is damaged: chunk {index} of {info.ChunkCount} holds {chunk.Length} bytes, expected {expected}", version);
                chunk.Span.CopyTo(onnx.AsSpan((int)offset, expected));
            }, cancellationToken);

            var actual = Convert.ToHexStringLower(SHA256.HashData(onnx));
            if (!string.Equals(actual, info.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelChecksumMismatchException(version, info.Sha256, actual);

            var elapsed = time.GetElapsedTime(started);
            metrics.Fetched("ok", onnx.Length, elapsed);
            logger.Fetched(version, onnx.Length, elapsed.TotalMilliseconds);
            return new ModelArtifact(info, onnx);
        }
        catch (ModelRegistryException e)
        {
            metrics.Fetched(Outcome(e), 0, time.GetElapsedTime(started));
            logger.FetchFailed(version, e.Message);
            activity?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        catch (Exception e)
        {
            activity?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Reads every chunk of a version in order, one at a time, and checks their lengths and the SHA-256 of the
    /// whole, without holding the model in memory.</summary>
    /// <exception cref="ModelVersionNotFoundException">The version does not exist.</exception>
    /// <exception cref="ModelIntegrityException">A chunk is missing or damaged, or the SHA-256 does not match.</exception>
    public async Task<ModelVersionInfo> VerifyAsync(string version, CancellationToken cancellationToken = default)
    {
        var info = await GetMetadataAsync(version);
        var db = Db;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var index = 0; index < info.ChunkCount; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var expected = (int)Math.Min(info.ChunkSizeBytes, info.SizeBytes - (long)index * info.ChunkSizeBytes);
            using var chunk = await db.StringGetLeaseAsync(Keys.Chunk(version, index))
                ?? throw new ModelChunkMissingException(version, index, info.ChunkCount);
            if (chunk.Length != expected)
                throw new ModelIntegrityException(
                    $"model version '{version}' is damaged: chunk {index} of {info.ChunkCount} holds {chunk.Length} bytes, expected {expected}", version);
            hash.AppendData(chunk.Span);
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        return string.Equals(actual, info.Sha256, StringComparison.OrdinalIgnoreCase)
            ? info
            : throw new ModelChecksumMismatchException(version, info.Sha256, actual);
    }

    /// <summary>Reads the production version verified, or null when nothing was promoted yet.</summary>
    public async Task<ModelArtifact?> FetchProductionAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var version = await GetProductionVersionAsync();
            if (version is null) return null;
            try
            {
                return await FetchAsync(version, cancellationToken);
            }
            catch (ModelVersionNotFoundException) when (attempt < MaxRaceAttempts)
            {
                // Production moved on and retention removed the version between the two reads: follow the pointer.
                if (await GetProductionVersionAsync() == version) throw;
            }
        }
    }

    /// <exception cref="ModelVersionNotFoundException">The version does not exist.</exception>
    public async Task<ModelVersionInfo> GetMetadataAsync(string version) =>
        await TryGetMetadataAsync(version) ?? throw new ModelVersionNotFoundException(version);

    public async Task<ModelVersionInfo?> TryGetMetadataAsync(string version)
    {
        if (!VersionIds.IsValid(version)) return null;
        var entries = await Db.HashGetAllAsync(Keys.Metadata(version));
        return entries.Length == 0 ? null : MetadataHash.Parse(version, entries);
    }

    /// <summary>Every complete version, oldest first (publish order).</summary>
    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync()
    {
        var db = Db;
        var versions = await db.SortedSetRangeByRankAsync(Keys.Versions);
        var reads = versions.Select(version => (Version: version.ToString(), Entries: db.HashGetAllAsync(Keys.Metadata(version.ToString())))).ToList();
        var list = new List<ModelVersionInfo>(reads.Count);
        foreach (var (version, entries) in reads)
        {
            var fields = await entries;
            if (fields.Length > 0) list.Add(MetadataHash.Parse(version, fields)); // empty: removed by retention meanwhile
        }
        return list;
    }

    public async Task<string?> GetProductionVersionAsync() => (string?)await Db.StringGetAsync(Keys.Production);

    /// <summary>The production history, newest first: element 0 is production, element 1 the rollback target.</summary>
    public async Task<IReadOnlyList<string>> GetProductionHistoryAsync() =>
        [.. (await Db.ListRangeAsync(Keys.ProductionHistory)).Select(value => value.ToString())];

    /// <summary>The latest promotions and rollbacks, newest first.</summary>
    public async Task<IReadOnlyList<ProductionChange>> GetProductionEventsAsync(int count = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var values = await Db.ListRangeAsync(Keys.ProductionEvents, 0, count - 1);
        return [.. values.Select(value => TryDeserialize(value)).OfType<ProductionChange>()];
    }

    /// <summary>
    /// Makes a complete version production, atomically (the pointer moves only if the version's metadata exists at that
    /// instant), records it in the history and the event log, and announces it. Every chunk is read and the SHA-256
    /// checked first, so a damaged version never becomes production. Returns null when the version already is
    /// production (nothing changes, nothing is announced).
    /// </summary>
    /// <exception cref="ModelVersionNotFoundException">The version does not exist or is not completely written.</exception>
    /// <exception cref="ModelPromotionRefusedException">A chunk is missing or damaged, or the checksum does not hold.</exception>
    public async Task<ProductionChange?> PromoteAsync(string version, string? reason = null, CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity(RegistryTelemetry.PromoteSpan);
        activity?.SetTag(RegistryTelemetry.VersionTag, version);
        try
        {
            if (!VersionIds.IsValid(version)) throw new ModelVersionNotFoundException(version);
            var db = Db;
            var verified = false;
            for (var attempt = 0; attempt < MaxRaceAttempts; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = await GetProductionVersionAsync();
                if (current == version) return null;
                if (!verified)
                {
                    try
                    {
                        await VerifyAsync(version, cancellationToken);
                    }
                    catch (ModelIntegrityException e)
                    {
                        throw new ModelPromotionRefusedException(version, e);
                    }
                    verified = true;
                }

                var change = new ProductionChange(ProductionChangeKind.Promoted, version, current, reason, time.GetUtcNow());
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.HashExists(Keys.Metadata(version), MetadataHash.Sha256));
                transaction.AddCondition(current is null
                    ? Condition.KeyNotExists(Keys.Production)
                    : Condition.StringEqual(Keys.Production, current));
                _ = transaction.StringSetAsync(Keys.Production, version);
                _ = transaction.ListLeftPushAsync(Keys.ProductionHistory, version);
                _ = transaction.ListTrimAsync(Keys.ProductionHistory, 0, options.HistoryLimit - 1);
                RecordEvent(transaction, change);
                if (await transaction.ExecuteAsync())
                {
                    activity?.SetTag(RegistryTelemetry.PreviousVersionTag, current);
                    logger.Promoted(version, current, reason);
                    await AnnounceAsync(change, "promoted");
                    return change;
                }
                if (!await db.HashExistsAsync(Keys.Metadata(version), MetadataHash.Sha256))
                    throw new ModelVersionNotFoundException(version);
            }
            throw new ModelRegistryException(
                $"promoting model version '{version}' lost {MaxRaceAttempts} races against concurrent production changes", version);
        }
        catch (Exception e)
        {
            activity?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Moves production back to the previous production version, atomically, and announces it.</summary>
    /// <exception cref="RollbackUnavailableException">There is no earlier production version.</exception>
    public async Task<ProductionChange> RollbackAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity(RegistryTelemetry.RollbackSpan);
        try
        {
            var db = Db;
            for (var attempt = 0; attempt < MaxRaceAttempts; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var top = await db.ListRangeAsync(Keys.ProductionHistory, 0, 1);
                if (top.Length < 2)
                {
                    var only = top.Length == 1 ? top[0].ToString() : null;
                    throw new RollbackUnavailableException(only, only is null
                        ? "cannot roll back: no model version was ever promoted to production"
                        : $"cannot roll back: production model version '{only}' has no earlier production version");
                }

                var (current, target) = (top[0].ToString(), top[1].ToString());
                var change = new ProductionChange(ProductionChangeKind.RolledBack, target, current, reason, time.GetUtcNow());
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.StringEqual(Keys.Production, current));
                transaction.AddCondition(Condition.ListIndexEqual(Keys.ProductionHistory, 0, current));
                transaction.AddCondition(Condition.ListIndexEqual(Keys.ProductionHistory, 1, target));
                transaction.AddCondition(Condition.HashExists(Keys.Metadata(target), MetadataHash.Sha256));
                _ = transaction.StringSetAsync(Keys.Production, target);
                _ = transaction.ListLeftPopAsync(Keys.ProductionHistory);
                RecordEvent(transaction, change);
                if (await transaction.ExecuteAsync())
                {
                    activity?.SetTag(RegistryTelemetry.VersionTag, target);
                    activity?.SetTag(RegistryTelemetry.PreviousVersionTag, current);
                    logger.RolledBack(target, current, reason);
                    await AnnounceAsync(change, "rolled_back");
                    return change;
                }
                if (!await db.HashExistsAsync(Keys.Metadata(target), MetadataHash.Sha256))
                    throw new RollbackUnavailableException(current, $"cannot roll back to model version '{target}': it no longer exists");
            }
            throw new ModelRegistryException($"rolling back lost {MaxRaceAttempts} races against concurrent production changes");
        }
        catch (Exception e)
        {
            activity?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>
    /// Removes all but the newest <see cref="RegistryOptions.RetainVersions"/> versions, except production and the
    /// rollback target. Each removal is a transaction that is abandoned if either of those changed meanwhile.
    /// </summary>
    /// <returns>The versions removed, oldest first.</returns>
    public async Task<IReadOnlyList<string>> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity(RegistryTelemetry.RetentionSpan);
        var db = Db;
        var versions = await db.SortedSetRangeByRankAsync(Keys.Versions);
        var deleted = new List<string>();
        if (versions.Length <= options.RetainVersions) return deleted;

        var protectedVersions = (await db.ListRangeAsync(Keys.ProductionHistory, 0, 1)).Select(value => value.ToString())
            .Append(await GetProductionVersionAsync()).ToHashSet(StringComparer.Ordinal);
        foreach (var value in versions[..^options.RetainVersions])
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = value.ToString();
            if (protectedVersions.Contains(version)) continue;

            var entries = await db.HashGetAllAsync(Keys.Metadata(version));
            int chunkCount;
            try
            {
                chunkCount = entries.Length == 0 ? 0 : MetadataHash.Parse(version, entries).ChunkCount;
            }
            catch (ModelIntegrityException e)
            {
                logger.RetentionSkipped(version, e.Message); // left for a person to look at
                continue;
            }
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.StringNotEqual(Keys.Production, version));
            transaction.AddCondition(Condition.ListIndexNotEqual(Keys.ProductionHistory, 1, version));
            _ = transaction.KeyDeleteAsync([Keys.Metadata(version), Keys.MonitoringReference(version),
                .. Enumerable.Range(0, chunkCount).Select(index => Keys.Chunk(version, index))]);
            _ = transaction.SortedSetRemoveAsync(Keys.Versions, version);
            _ = transaction.ListRemoveAsync(Keys.ProductionHistory, version);
            if (await transaction.ExecuteAsync())
            {
                deleted.Add(version);
                logger.RetentionDeleted(version);
            }
        }
        metrics.Deleted(deleted.Count);
        activity?.SetTag(RegistryTelemetry.DeletedTag, deleted.Count);
        return deleted;
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> for every promotion and rollback announced from now on, one at a time, in
    /// order. Announcements can be missed (pub/sub is fire-and-forget): a subscriber should also read
    /// <see cref="GetProductionVersionAsync"/> when it starts and after a reconnect.
    /// </summary>
    public async Task<RegistrySubscription> SubscribeAsync(Func<ProductionChange, Task> onChange)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(Keys.ProductionChannel);
        queue.OnMessage(async message =>
        {
            var change = TryDeserialize(message.Message);
            if (change is null)
            {
                logger.MalformedAnnouncement(message.Message.ToString());
                return;
            }
            try
            {
                await onChange(change);
            }
            catch (Exception e)
            {
                logger.SubscriberFailed(e, change.Version);
            }
        });
        return new RegistrySubscription(queue);
    }

    /// <summary>
    /// The next version number and the generation it belongs to, in one transaction on the generation hash. A registry
    /// that has lost its generation (a flush, a restart without persistence, an eviction) draws a new one, and its
    /// counter continues from the newest version left in the index, so ids stay unique and in publish order.
    /// </summary>
    private async Task<(long Number, string Generation)> NextVersionNumberAsync(IDatabase db)
    {
        var newest = await db.SortedSetRangeByRankWithScoresAsync(Keys.Versions, -1, -1);
        var floor = newest.Length == 1 ? (long)newest[0].Score : 0;
        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync(Keys.Generation, GenerationField, VersionIds.NewGeneration(), When.NotExists);
        _ = transaction.HashSetAsync(Keys.Generation, NextField, floor, When.NotExists);
        var number = transaction.HashIncrementAsync(Keys.Generation, NextField);
        var generation = transaction.HashGetAsync(Keys.Generation, GenerationField);
        if (!await transaction.ExecuteAsync()) throw new ModelRegistryException("drawing a version number failed: the transaction was not executed");
        var id = (string?)await generation;
        return VersionIds.IsGeneration(id)
            ? (await number, id!)
            : throw new ModelRegistryException($"the registry's generation '{id}' ({Keys.Generation}) is damaged; delete the key to draw a new one");
    }

    /// <summary>
    /// Refuses a publish that would not fit: Redis reports <c>used_memory</c> and <c>maxmemory</c> (0: no limit, nothing to
    /// check); Garnet reports its heap and the size it evicts beyond. A version needs its bytes, plus, while it is
    /// written, the server's input buffers for the chunks in flight (Redis counts them as used memory, and would evict
    /// to make room for them), plus <see cref="CapacityHeadroom"/> for keys, metadata and the allocator.
    /// </summary>
    private async Task EnsureCapacityAsync(long bytes, int chunksInFlight)
    {
        var memory = await ServerMemory.ReadAsync(Db);
        if (memory is not { Limit: > 0 } known) return;
        var needed = known.Used + bytes + (long)chunksInFlight * options.ChunkSizeBytes * InputBufferFactor + (long)(bytes * CapacityHeadroom) + 64 * 1024;
        if (needed > known.Limit)
            throw new RegistryCapacityException(
                $"publishing a model of {bytes:N0} bytes was refused: the registry's server ({known.Kind}) holds {known.Used:N0} of " +
                $"{known.Limit:N0} bytes and would evict data to store it; give it more memory, keep fewer versions " +
                $"({RegistryOptions.SectionName}:{nameof(RegistryOptions.RetainVersions)}), or remove some");
    }

    private void RecordEvent(ITransaction transaction, ProductionChange change)
    {
        _ = transaction.ListLeftPushAsync(Keys.ProductionEvents, Serialize(change));
        _ = transaction.ListTrimAsync(Keys.ProductionEvents, 0, options.HistoryLimit - 1);
    }

    // Announced after the transaction committed: if this fails the change stands, and subscribers catch up from the pointer.
    internal async Task AnnounceAsync(ProductionChange change, string kind)
    {
        metrics.ProductionChanged(kind);
        try
        {
            await redis.GetSubscriber().PublishAsync(Keys.ProductionChannel, Serialize(change));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.AnnounceFailed(e, change.Version);
        }
    }

    private Activity? StartActivity(string name) =>
        RegistryTelemetry.Source.StartActivity(name)?.SetTag(RegistryTelemetry.KeyPrefixTag, options.KeyPrefix);

    private async Task ForEachChunkAsync(int chunkCount, Func<int, Task> action, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chunkCount),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxChunksInFlight, CancellationToken = cancellationToken },
            async (index, _) => await action(index));

    private static string Serialize(ProductionChange change) =>
        JsonSerializer.Serialize(change, RegistryJsonContext.Default.ProductionChange);

    private static ProductionChange? TryDeserialize(RedisValue value)
    {
        try
        {
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize(value.ToString(), RegistryJsonContext.Default.ProductionChange);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Outcome(ModelRegistryException e) => e switch
    {
        ModelVersionNotFoundException => "not_found",
        ModelChunkMissingException => "missing_chunk",
        ModelChecksumMismatchException => "checksum_mismatch",
        _ => "damaged",
    };

    private static void ValidateRequest(ModelPublishRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Onnx.IsEmpty)
            throw new ArgumentException("the ONNX bytes are empty", nameof(request));
        RequireJsonObject(request.MetricsJson, nameof(ModelPublishRequest.MetricsJson));
        RequireJsonObject(request.TrainingOptionsJson, nameof(ModelPublishRequest.TrainingOptionsJson));
        if (request.ImageSize < 0)
            throw new ArgumentException($"{nameof(ModelPublishRequest.ImageSize)} must not be negative (got {request.ImageSize})", nameof(request));
        ArgumentNullException.ThrowIfNull(request.DatasetFingerprint);
        if (request.ParentVersion is not null && !VersionIds.IsValid(request.ParentVersion))
            throw new ArgumentException(
                $"{nameof(ModelPublishRequest.ParentVersion)} '{request.ParentVersion}' is not a version id (they look like 'v0001-k3x7qa')", nameof(request));
    }

    private static void RequireJsonObject(string? json, string field)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            if (document.RootElement.ValueKind == JsonValueKind.Object) return;
        }
        catch (JsonException)
        {
        }
        throw new ArgumentException($"{field} must be a JSON object (got '{json}')", "request");
    }
}
