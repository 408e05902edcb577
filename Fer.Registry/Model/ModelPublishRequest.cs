namespace Fer.Registry.Model;

/// <summary>What a trainer hands to <see cref="ModelRegistry.PublishAsync"/>: the ONNX bytes and what produced them.</summary>
public sealed record ModelPublishRequest
{
    public required ReadOnlyMemory<byte> Onnx { get; init; }

    /// <summary>Evaluation metrics as a JSON object (e.g. {"valMacroF1":0.61,"valAccuracy":0.66}).</summary>
    public string MetricsJson { get; init; } = "{}";

    /// <summary>Backbone input size S the network resizes to (the ONNX input itself is always 48x48).</summary>
    public int ImageSize { get; init; }

    /// <summary>A fingerprint of the training data (e.g. a hash of the file list), so two versions can be compared.</summary>
    public string DatasetFingerprint { get; init; } = "";

    /// <summary>The training options as a JSON object.</summary>
    public string TrainingOptionsJson { get; init; } = "{}";

    /// <summary>The version this one was fine-tuned from, if any.</summary>
    public string? ParentVersion { get; init; }
}
