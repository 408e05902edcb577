using Fer.Faces;

namespace Fer.Benchmarks;

/// <summary>A detector's box and the true square of the face it matched in a composite frame.</summary>
public readonly record struct FacePair(FaceBox Box, FaceBox Truth);
