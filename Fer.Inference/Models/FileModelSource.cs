using Microsoft.Extensions.Options;

namespace Fer.Inference.Models;

/// <summary>Serves one ONNX file (Inference:Models:File); a rewritten file is picked up by the periodic reconcile.</summary>
public sealed class FileModelSource(IOptions<ReloadOptions> options) : IModelSource
{
    private readonly string path = Path.GetFullPath(options.Value.File
        ?? throw new InvalidOperationException($"{ReloadOptions.SectionName}:File is not set"));

    public string Description => $"file {path}";

    public Task<string?> GetProductionKeyAsync(CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        return Task.FromResult(file.Exists ? $"{file.Name}@{file.LastWriteTimeUtc:O}/{file.Length}" : null);
    }

    public async Task<ModelPackage> FetchAsync(string key, CancellationToken cancellationToken) =>
        new(key, Version: null, await File.ReadAllBytesAsync(path, cancellationToken), Sha256: null);

    public Task<Rollouts.RolloutTarget?> GetRolloutAsync(CancellationToken cancellationToken) => Task.FromResult<Rollouts.RolloutTarget?>(null);

    public Task SubscribeAsync(Action<string> onPromotion, CancellationToken cancellationToken) => Task.CompletedTask;
}
