namespace Fer.Faces.Finding;

/// <summary>An image's faces, largest first (none when the detector found none), the upright image's size, and the mode
/// that made them (<see cref="FaceMode.Whole"/> for a small image that <c>detect</c> took whole).</summary>
public sealed record FoundFaces(IReadOnlyList<FoundFace> Faces, int ImageWidth, int ImageHeight, FaceMode Mode);
