using System.Globalization;
using Fer.Contracts;
using Fer.Contracts.Monitoring;
using StackExchange.Redis;

namespace Fer.Registry.Monitoring;

/// <summary>
/// Monitoring references attached to versions published without one (before the trainer stored them), in a hash beside
/// the version (<see cref="RegistryKeys.MonitoringReference"/>): a version's metrics never change, so its reference lives
/// there. A version's own reference (in its metrics) always wins and is never shadowed; an attached one is written once,
/// like a version, and replaced only when asked to (<c>force</c>); retention removes it with its version.
/// </summary>
public sealed class MonitoringReferenceStore(ModelRegistry registry, IConnectionMultiplexer redis, TimeProvider time)
{
    private const string ReferenceField = "reference";
    private const string AttachedAtField = "attachedAt";
    private const string SourceField = "source";

    /// <summary>The version's own reference (from its metrics), else the attached one; null for an unknown version or one
    /// with neither.</summary>
    public async Task<MonitoringReference?> GetEffectiveAsync(string version) => (await GetOfVersionAsync(version))?.Reference;

    /// <summary>Where the version's reference comes from (its own is read first; the attached one only without it); null
    /// for an unknown version.</summary>
    public async Task<VersionReference?> GetOfVersionAsync(string version)
    {
        var info = await registry.TryGetMetadataAsync(version);
        if (info is null) return null;
        return ModelMetrics.TryParse(info.MetricsJson)?.Monitoring is { } own
            ? new VersionReference(own, null)
            : new VersionReference(null, await GetAttachedAsync(version));
    }

    /// <summary>The reference attached to <paramref name="version"/>, or null when none is (or it does not parse).</summary>
    public async Task<AttachedReference?> GetAttachedAsync(string version)
    {
        if (!VersionIds.IsValid(version)) return null;
        var fields = (await redis.GetDatabase().HashGetAllAsync(registry.Keys.MonitoringReference(version)))
            .ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);
        if (!fields.TryGetValue(ReferenceField, out var json) || MonitoringReference.TryParse(json) is not { } reference) return null;
        var attachedAt = fields.TryGetValue(AttachedAtField, out var at)
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : DateTimeOffset.MinValue;
        return new AttachedReference(reference, attachedAt, fields.GetValueOrDefault(SourceField, ""));
    }

    /// <summary>Stores <paramref name="reference"/> beside <paramref name="version"/> when the version exists, carries no
    /// reference of its own, and has none attached (or <paramref name="force"/> is given), in one transaction that
    /// checks the version still exists and, unless forced, that nothing was attached meanwhile.</summary>
    public async Task<ReferenceAttachOutcome> AttachAsync(string version, MonitoringReference reference, string source, bool force = false)
    {
        var info = await registry.TryGetMetadataAsync(version);
        if (info is null) return ReferenceAttachOutcome.VersionNotFound;
        if (ModelMetrics.TryParse(info.MetricsJson)?.Monitoring is not null) return ReferenceAttachOutcome.VersionHasItsOwn;

        var db = redis.GetDatabase();
        var key = registry.Keys.MonitoringReference(version);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.HashExists(registry.Keys.Metadata(version), MetadataHash.Sha256));
        if (!force) transaction.AddCondition(Condition.KeyNotExists(key));
        _ = transaction.KeyDeleteAsync(key);
        _ = transaction.HashSetAsync(key,
        [
            new HashEntry(ReferenceField, reference.ToJson()),
            new HashEntry(AttachedAtField, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
            new HashEntry(SourceField, source),
        ]);
        if (await transaction.ExecuteAsync()) return ReferenceAttachOutcome.Attached;
        return await db.HashExistsAsync(registry.Keys.Metadata(version), MetadataHash.Sha256)
            ? ReferenceAttachOutcome.AlreadyAttached
            : ReferenceAttachOutcome.VersionNotFound;
    }
}
