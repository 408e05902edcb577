using System.Text.Json;
using Fer.Registry.Model;

namespace Fer.Trainer.Apis;

/// <summary>A registry version as the models API shows it: metadata with the JSON fields as JSON, and whether it is
/// production.</summary>
public sealed record ModelVersionResponse(
    string Version,
    DateTimeOffset CreatedAt,
    bool IsProduction,
    JsonElement Metrics,
    int ImageSize,
    string DatasetFingerprint,
    JsonElement TrainingOptions,
    string? ParentVersion,
    long SizeBytes,
    string Sha256,
    string OnnxUrl)
{
    public static ModelVersionResponse From(ModelVersionInfo info, string? production) => new(
        info.Version,
        info.CreatedAt,
        info.Version == production,
        ParseObject(info.MetricsJson),
        info.ImageSize,
        info.DatasetFingerprint,
        ParseObject(info.TrainingOptionsJson),
        info.ParentVersion,
        info.SizeBytes,
        info.Sha256,
        $"/models/{info.Version}/onnx");

    private static JsonElement ParseObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }
}
