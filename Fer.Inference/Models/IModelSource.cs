namespace Fer.Inference.Models;

/// <summary>Where production models come from: the registry, or a fixed file.</summary>
public interface IModelSource
{
    /// <summary>For logs and health: what and where the source is.</summary>
    string Description { get; }

    /// <summary>The key of the model that should be serving now; null while nothing has been published. Keys identify
    /// content: two models with other bytes never share one (the reloader compares keys, nothing else).</summary>
    Task<string?> GetProductionKeyAsync(CancellationToken cancellationToken);

    /// <summary>The model's bytes, verified by the source where it can (a broken model is a <see cref="Onnx.ModelLoadException"/>).</summary>
    Task<ModelPackage> FetchAsync(string key, CancellationToken cancellationToken);

    /// <summary>The rollout in progress with its candidate's key; null when none is (or the source has no rollouts).</summary>
    Task<Rollouts.RolloutTarget?> GetRolloutAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onPromotion"/> with the key of each promoted model until the source is disposed.
    /// Throws when the source cannot be reached; the caller retries.</summary>
    Task SubscribeAsync(Action<string> onPromotion, CancellationToken cancellationToken);
}
