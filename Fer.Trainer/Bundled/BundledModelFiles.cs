namespace Fer.Trainer.Bundled;

/// <summary>What a bundled-model folder holds: a run's exported model and the registry metrics of that run.</summary>
public static class BundledModelFiles
{
    public const string FolderName = "bundled-model";
    public const string Onnx = "model.onnx";

    /// <summary>The metrics JSON the registry stores for the version (what a training job publishes for its run).</summary>
    public const string Metrics = "registry-metrics.json";

    /// <summary>The value of <c>source</c> in the version's training options: how anyone can tell the bundled model.</summary>
    public const string Source = "bundled";
}
