using Fer.Inference.Onnx;
using Fer.Registry;
using Fer.Registry.Errors;
using StackExchange.Redis;

namespace Fer.Inference.Models;

/// <summary>The model registry in Redis: the production pointer, verified fetches, and promotion announcements.</summary>
public sealed class RegistryModelSource(ModelRegistry registry, IConnectionMultiplexer redis) : IModelSource, IAsyncDisposable
{
    private RegistrySubscription? subscription;

    public string Description => $"the model registry '{registry.Keys.Production}' at {redis.Configuration}";

    public Task<string?> GetProductionKeyAsync(CancellationToken cancellationToken) =>
        redis.IsConnected // fail at once rather than queue behind a reconnect: the next reconcile tries again
            ? registry.GetProductionVersionAsync().WaitAsync(cancellationToken)
            : Task.FromException<string?>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected to redis"));

    public async Task<ModelPackage> FetchAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var artifact = await registry.FetchAsync(key, cancellationToken);
            return new ModelPackage(key, key, artifact.Onnx, artifact.Info.Sha256);
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
