namespace Fer.Training.Weights;

/// <summary>The outcome of importing torchvision weights into FerNet's backbone.</summary>
public sealed record WeightImportReport(
    string Path,
    WeightFileFormat Format,
    string Sha256,
    bool IsOfficial,
    int LoadedTensors,
    long LoadedValues,
    IReadOnlyList<string> Ignored,
    IReadOnlyList<string> Warnings);
