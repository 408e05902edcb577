namespace Fer.Contracts;

/// <summary>The metadata_props keys of an exported model: the trainer writes them, inference and the tests read them.</summary>
public static class OnnxMetadataKeys
{
    public const string Schema = "schema";
    public const string Version = "version";
    public const string Labels = "labels";
    public const string Input = "input";
    public const string Outputs = "outputs";

    /// <summary>The model family (<see cref="ModelFamilies"/>): what the network is, for people and dashboards.</summary>
    public const string Family = "family";

    public const string Backbone = "backbone";
    public const string ImageSize = "image_size";
    public const string Metrics = "metrics";
    public const string DatasetFingerprint = "dataset_fingerprint";
    public const string CreatedAt = "created_at";
}
