using System.Collections.Concurrent;
using Fer.Contracts.Monitoring;
using Fer.Inference.Models;
using Fer.Registry.Monitoring;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Monitoring;

/// <summary>
/// Each version's monitoring reference, looked up once in the background when the version first answers: from the
/// registry (the <c>monitoring</c> part of the version's metrics, else the reference attached beside it:
/// <see cref="MonitoringReferenceStore"/>), or for a replica serving a file, from
/// <see cref="MonitoringReference.FileName"/> beside it. A version without one is asked again after
/// <see cref="RetryAfter"/>; until its reference is here, its faces are not watched.
/// </summary>
public sealed partial class ReferenceCatalog(
    IOptions<ReloadOptions> reload,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ReferenceCatalog> logger)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    private const int MaxEntries = 64;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The version's reference when it is known; otherwise null, and a look-up starts (at most one at a time).</summary>
    public MonitoringReference? Get(string version)
    {
        var now = time.GetTimestamp();
        if (entries.TryGetValue(version, out var entry) && (entry.Reference is not null || entry.Loading || now < entry.RetryAt))
            return entry.Reference;
        if (entries.Count >= MaxEntries) entries.Clear();
        var loading = new Entry(null, true, 0);
        if (entry is null ? !entries.TryAdd(version, loading) : !entries.TryUpdate(version, loading, entry)) return null;
        _ = Task.Run(() => LoadAsync(version));
        return null;
    }

    /// <summary>Looks the version's reference up now (and remembers it).</summary>
    public async Task<MonitoringReference?> LoadAsync(string version)
    {
        MonitoringReference? reference = null;
        try
        {
            reference = reload.Value.File is { } file ? await FromFileAsync(file) : await FromRegistryAsync(version);
            if (reference is null) LogNoReference(logger, version);
            else LogReference(logger, version, reference.Split, reference.Count, reference.Temperature);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or IOException or Registry.Errors.ModelRegistryException)
        {
            LogLookupFailed(logger, version, e.Message);
        }
        entries[version] = new Entry(reference, false, time.GetTimestamp() + (long)(RetryAfter.TotalSeconds * time.TimestampFrequency));
        return reference;
    }

    private static async Task<MonitoringReference?> FromFileAsync(string modelFile)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelFile))!, MonitoringReference.FileName);
        return File.Exists(path) ? MonitoringReference.TryParse(await File.ReadAllTextAsync(path)) : null;
    }

    // The version's own reference first; a version published before references existed may have one attached beside it.
    private Task<MonitoringReference?> FromRegistryAsync(string version) =>
        services.GetRequiredService<MonitoringReferenceStore>().GetEffectiveAsync(version);

    private sealed record Entry(MonitoringReference? Reference, bool Loading, long RetryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitoring {Version} against its {Split} reference ({Count} faces, temperature {Temperature})")]
    private static partial void LogReference(ILogger logger, string version, string split, int count, double temperature);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Version} carries no monitoring reference: its drift is not measured")]
    private static partial void LogNoReference(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up the monitoring reference of {Version} ({Error}); asking again later")]
    private static partial void LogLookupFailed(ILogger logger, string version, string error);
}
