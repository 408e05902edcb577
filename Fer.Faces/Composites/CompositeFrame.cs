using Fer.Imaging;

namespace Fer.Faces.Composites;

/// <summary>A synthetic photo: the background, and each face that was placed in it with its true square.</summary>
public sealed record CompositeFrame(GrayImage Image, CompositeBackground Background, IReadOnlyList<PlacedFace> Faces);
