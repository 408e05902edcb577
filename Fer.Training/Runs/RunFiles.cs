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

    public static string PhaseBest(int phase) => $"phase{phase}-best.pt";
}
