namespace Fer.Training.Onnx;

/// <summary>The metadata_props keys of an exported model (see <see cref="OnnxModelInfo"/>).</summary>
public static class OnnxMetadataKeys
{
    public const string Schema = "schema";
    public const string Version = "version";
    public const string Labels = "labels";
    public const string Input = "input";
    public const string Outputs = "outputs";
    public const string Backbone = "backbone";
    public const string ImageSize = "image_size";
    public const string Metrics = "metrics";
    public const string DatasetFingerprint = "dataset_fingerprint";
    public const string CreatedAt = "created_at";
}
