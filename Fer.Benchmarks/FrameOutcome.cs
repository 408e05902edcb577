using Fer.Faces;
using Fer.Faces.Composites;

namespace Fer.Benchmarks;

/// <summary>One composite frame after the pass: its background, its faces, and per detector every detection down to the
/// pass's lowest score threshold (for the threshold sweep) and those at the product's threshold that matched no face.</summary>
public sealed record FrameOutcome(CompositeBackground Background, IReadOnlyList<PlacedFace> Faces, IReadOnlyList<FaceBox>[] Detections,
    int[] FalseDetections);
