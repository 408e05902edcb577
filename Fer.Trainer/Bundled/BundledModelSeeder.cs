using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fer.Contracts;
using Fer.Contracts.Monitoring;
using Fer.Registry;
using Fer.Registry.Model;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Trainer.Bundled;

/// <summary>
/// Makes the product answer from its first start: when the registry has no production version, publishes the bundled
/// model (once: a version with the same SHA-256 is reused) and promotes it. A short-lived Redis lock keeps two trainers
/// starting together from publishing it twice. A user's own training then competes with it under the usual policy.
/// </summary>
public sealed class BundledModelSeeder(
    ModelRegistry registry,
    IConnectionMultiplexer redis,
    IOptions<BundledModelOptions> options,
    ILogger<BundledModelSeeder> logger) : BackgroundService
{
    private static readonly TimeSpan LockLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Finished when the registry has been seeded, was already served, or there is nothing to seed.</summary>
    public Task Seeding => seeded.Task;

    private readonly TaskCompletionSource seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var onnxPath = Path.Combine(settings.Directory, BundledModelFiles.Onnx);
        if (!settings.Enabled || !File.Exists(onnxPath))
        {
            logger.NoBundledModel(settings.Directory);
            seeded.TrySetResult();
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SeedAsync(settings.Directory, stoppingToken);
                seeded.TrySetResult();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.RegistryUnavailable(e.GetType().Name, settings.RetryInterval);
                await Task.Delay(settings.RetryInterval, stoppingToken);
            }
        }
    }

    private async Task SeedAsync(string directory, CancellationToken cancellationToken)
    {
        if (await registry.GetProductionVersionAsync() is { } production)
        {
            logger.ProductionExists(production);
            return;
        }
        var database = redis.GetDatabase();
        var lockKey = new RedisKey($"{registry.Keys.Prefix}:registry:bundled:lock");
        var token = Guid.NewGuid().ToString("N");
        if (!await database.StringSetAsync(lockKey, token, LockLifetime, When.NotExists))
        {
            logger.SeedingElsewhere();
            return;
        }
        try
        {
            if (await registry.GetProductionVersionAsync() is { } promotedMeanwhile)
            {
                logger.ProductionExists(promotedMeanwhile);
                return;
            }
            var onnx = await File.ReadAllBytesAsync(Path.Combine(directory, BundledModelFiles.Onnx), cancellationToken);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx));
            var existing = (await registry.ListAsync()).FirstOrDefault(v => v.Sha256 == sha256);
            var version = existing ?? await registry.PublishAsync(new ModelPublishRequest
            {
                Onnx = onnx,
                MetricsJson = await ReadMetricsAsync(directory, cancellationToken),
                ImageSize = ModelInput.CropSize, // Cnn48 sees the crop as it is
                DatasetFingerprint = "bundled",
                TrainingOptionsJson = JsonSerializer.Serialize(new { source = BundledModelFiles.Source, file = BundledModelFiles.Onnx }),
            }, cancellationToken);
            await registry.PromoteAsync(version.Version, "bundled model: the registry had no production version", cancellationToken);
            logger.Seeded(version.Version, sha256[..12], existing is null ? "published" : "found already published");
        }
        finally
        {
            await database.ScriptEvaluateAsync(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
                [lockKey], [token]);
        }
    }

    private static async Task<string> ReadMetricsAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, BundledModelFiles.Metrics);
        if (!File.Exists(path)) return "{}";
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        using var _ = JsonDocument.Parse(text); // a malformed file fails here, with the file's name in the log, not in the registry
        // The monitoring reference, computed once by `reference` and kept beside the model, travels in the metrics as a trained version's does.
        var referencePath = Path.Combine(directory, MonitoringReference.FileName);
        if (!File.Exists(referencePath)) return text;
        var metrics = JsonNode.Parse(text)!.AsObject();
        metrics["monitoring"] = JsonNode.Parse(await File.ReadAllTextAsync(referencePath, cancellationToken));
        return metrics.ToJsonString();
    }
}
