namespace Fer.Inference.Onnx;

/// <summary>The metadata_props keys of the exporter's models that serving reads (the rest is for people).</summary>
public static class ModelMetadataKeys
{
    public const string Version = "version";
    public const string Labels = "labels";
    public const string CreatedAt = "created_at";
}
