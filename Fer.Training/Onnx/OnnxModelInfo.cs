using System.Globalization;
using System.Text.Json;
using Fer.Contracts;

namespace Fer.Training.Onnx;

/// <summary>
/// The self-description stored in an exported model's metadata_props, so a consumer needs nothing but the file. Every
/// value is a string; structured values are JSON. This type has no TorchSharp or ONNX Runtime dependency, so the inference
/// service can share it (read the map from ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>).
/// </summary>
public sealed record OnnxModelInfo(
    string Version,
    IReadOnlyList<string> Labels,
    ModelInput Input,
    string Family,
    string Backbone,
    int ImageSize,
    IReadOnlyDictionary<string, double> Metrics,
    string DatasetFingerprint,
    DateTimeOffset CreatedAt)
{
    public const string SchemaValue = "fer-onnx/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The info for an export of <paramref name="network"/>: FER labels, the canonical 48x48 input, the family
    /// and the size its backbone sees.</summary>
    public static OnnxModelInfo For(Networks.FaceNetwork network, string version, IReadOnlyDictionary<string, double> metrics, string datasetFingerprint, DateTimeOffset createdAt) =>
        new(version, EmotionLabels.Names, ModelInput.FerCrops, ModelFamilies.Id(network.Family), ModelFamilies.Id(network.Family), network.ImageSize,
            metrics, datasetFingerprint, createdAt);

    /// <summary>The info for a FerNet export: FER labels, the canonical 48x48 input, EfficientNetV2-S at <paramref name="imageSize"/>.</summary>
    public static OnnxModelInfo ForFerNet(string version, int imageSize, IReadOnlyDictionary<string, double> metrics, string datasetFingerprint, DateTimeOffset createdAt) =>
        new(version, EmotionLabels.Names, ModelInput.FerCrops, ModelFamilies.EfficientNetV2SId, ModelFamilies.EfficientNetV2SId, imageSize,
            metrics, datasetFingerprint, createdAt);

    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata() =>
    [
        new(OnnxMetadataKeys.Schema, SchemaValue),
        new(OnnxMetadataKeys.Version, Version),
        new(OnnxMetadataKeys.Labels, JsonSerializer.Serialize(Labels, Json)),
        new(OnnxMetadataKeys.Input, JsonSerializer.Serialize(Input, Json)),
        new(OnnxMetadataKeys.Outputs, JsonSerializer.Serialize(new[] { OnnxNames.Logits, OnnxNames.Probabilities }, Json)),
        new(OnnxMetadataKeys.Family, Family),
        new(OnnxMetadataKeys.Backbone, Backbone),
        new(OnnxMetadataKeys.ImageSize, ImageSize.ToString(CultureInfo.InvariantCulture)),
        new(OnnxMetadataKeys.Metrics, JsonSerializer.Serialize(Metrics, Json)),
        new(OnnxMetadataKeys.DatasetFingerprint, DatasetFingerprint),
        new(OnnxMetadataKeys.CreatedAt, CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
    ];

    /// <summary>Reads the info back; a missing or malformed entry fails with an error that names it.</summary>
    public static OnnxModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var schema = Required(metadata, OnnxMetadataKeys.Schema);
        if (schema != SchemaValue) throw new InvalidDataException($"ONNX metadata '{OnnxMetadataKeys.Schema}' is '{schema}', expected '{SchemaValue}'.");
        var imageSizeText = Required(metadata, OnnxMetadataKeys.ImageSize);
        if (!int.TryParse(imageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var imageSize))
            throw new InvalidDataException($"ONNX metadata '{OnnxMetadataKeys.ImageSize}' is not a whole number: '{imageSizeText}'.");
        var createdAtText = Required(metadata, OnnxMetadataKeys.CreatedAt);
        if (!DateTimeOffset.TryParse(createdAtText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            throw new InvalidDataException($"ONNX metadata '{OnnxMetadataKeys.CreatedAt}' is not an ISO 8601 time: '{createdAtText}'.");

        return new OnnxModelInfo(
            Required(metadata, OnnxMetadataKeys.Version),
            FromJson<string[]>(metadata, OnnxMetadataKeys.Labels),
            FromJson<ModelInput>(metadata, OnnxMetadataKeys.Input),
            // Models exported before families were named are all EfficientNetV2-S, which their backbone entry says.
            metadata.TryGetValue(OnnxMetadataKeys.Family, out var family) ? family : Required(metadata, OnnxMetadataKeys.Backbone),
            Required(metadata, OnnxMetadataKeys.Backbone),
            imageSize,
            FromJson<Dictionary<string, double>>(metadata, OnnxMetadataKeys.Metrics),
            Required(metadata, OnnxMetadataKeys.DatasetFingerprint),
            createdAt);
    }

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"ONNX metadata lacks '{key}'.");

    private static T FromJson<T>(IReadOnlyDictionary<string, string> metadata, string key) where T : class
    {
        var text = Required(metadata, key);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new InvalidDataException($"ONNX metadata '{key}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"ONNX metadata '{key}' is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }
}
