namespace Fer.Training.Runs;

/// <summary>The names of everything in a run folder.</summary>
public static class RunFiles
{
    public const string State = "state.json";
    public const string Log = "train.log";
    public const string BestCheckpoint = "best.pt";
    public const string LastCheckpoint = "last.pt";
    public const string LastOptimizer = "last-optimizer.bin";
    public const string Onnx = "model.onnx";

    /// <summary>What the run trained on: the data, its fingerprint and the feedback snapshot's hash and score.</summary>
    public const string DataManifest = "data.json";

    public static string PhaseBest(int phase) => $"phase{phase}-best.pt";
}
