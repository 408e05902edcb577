using Fer.Inference.Onnx;
using Fer.Registry;
using Fer.Inference.Rollouts;
using Fer.Registry.Errors;
using Fer.Registry.Rollouts;
using StackExchange.Redis;

namespace Fer.Inference.Models;

/// <summary>The model registry in Redis: the production pointer, verified fetches, and promotion announcements.</summary>
/// <remarks>A production key names the content, not only the version: "version@" and the first 16 hex digits of its
/// SHA-256. A replica therefore reloads when a name comes back with other bytes (a registry restored from an older
/// backup reuses its counter), instead of serving the old bytes under it.</remarks>
public sealed class RegistryModelSource(ModelRegistry registry, RolloutRegistry rollouts, IConnectionMultiplexer redis) : IModelSource, IAsyncDisposable
{
    private const int ShaDigitsInKey = 16;

    private RegistrySubscription? subscription;

    public string Description => $"the model registry '{registry.Keys.Production}' at {redis.Configuration}";

    public async Task<string?> GetProductionKeyAsync(CancellationToken cancellationToken)
    {
        // Fail at once rather than queue behind a reconnect: the next reconcile tries again.
        if (!redis.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected to redis");
        var version = await registry.GetProductionVersionAsync().WaitAsync(cancellationToken);
        return version is null ? null : await KeyOfAsync(version, cancellationToken);
    }

    public async Task<RolloutTarget?> GetRolloutAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected to redis");
        var rollout = await rollouts.GetAsync().WaitAsync(cancellationToken);
        return rollout is null ? null : new RolloutTarget(rollout.Id, rollout.Step, await KeyOfAsync(rollout.Candidate, cancellationToken),
            rollout.Candidate, rollout.Mode, rollout.Share);
    }

    /// <summary>A version's key: "version@" and the start of its SHA-256 (the version alone when its metadata is damaged).</summary>
    private async Task<string> KeyOfAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            var info = await registry.TryGetMetadataAsync(version).WaitAsync(cancellationToken);
            return info is null ? version : $"{version}@{info.Sha256[..Math.Min(ShaDigitsInKey, info.Sha256.Length)]}";
        }
        catch (ModelIntegrityException)
        {
            return version; // the fetch reports the damage, and the model is refused
        }
    }

    public async Task<ModelPackage> FetchAsync(string key, CancellationToken cancellationToken)
    {
        var at = key.IndexOf('@');
        var (version, shaPrefix) = at < 0 ? (key, null) : (key[..at], key[(at + 1)..]);
        try
        {
            var artifact = await registry.FetchAsync(version, cancellationToken);
            if (shaPrefix is not null && !artifact.Info.Sha256.StartsWith(shaPrefix, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"model {version} changed while it was fetched (SHA-256 {artifact.Info.Sha256}, expected {shaPrefix}...)");
            return new ModelPackage(key, version, artifact.Onnx, artifact.Info.Sha256);
        }
        catch (ModelIntegrityException e)
        {
            throw new ModelLoadException("checksum", e.Message, e);
        }
        catch (ModelVersionNotFoundException e)
        {
            throw new ModelLoadException("not_found", e.Message, e);
        }
    }

    public async Task SubscribeAsync(Action<string> onPromotion, CancellationToken cancellationToken)
    {
        var next = await registry.SubscribeAsync(change =>
        {
            onPromotion(change.Version);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);
        if (Interlocked.Exchange(ref subscription, next) is { } previous) await previous.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref subscription, null) is { } current) await current.DisposeAsync();
    }
}
