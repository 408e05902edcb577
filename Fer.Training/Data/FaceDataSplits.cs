namespace Fer.Training.Data;

/// <summary>The parts a run uses; <see cref="ValidationOrigin"/> says whether validation came with the data or was split off.</summary>
public sealed record FaceDataSplits(FaceDataset Train, FaceDataset Validation, FaceDataset? Test, string ValidationOrigin);
