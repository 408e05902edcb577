namespace Fer.Trainer.Bundled;

/// <summary>The model shipped with the trainer, published and promoted when the registry has no production version.</summary>
public sealed class BundledModelOptions
{
    public const string SectionName = "Trainer:BundledModel";

    /// <summary>The folder holding <see cref="BundledModelFiles.Onnx"/> and <see cref="BundledModelFiles.Metrics"/>;
    /// by default the one copied beside the trainer's own binaries.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, BundledModelFiles.FolderName);

    /// <summary>False: never seed the registry (the product then answers 503 until someone trains).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long to wait between attempts while Redis is not reachable yet.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);
}
