namespace Fer.Inference.Contracts;

/// <summary>One face: where it is (<see cref="Box"/>: the detector's box, or the region taken whole or by its centre),
/// the detector's score (null when nothing was detected), the square that was cropped for the model (it may leave the
/// image: edge pixels pad it), and the model's answer.</summary>
public sealed record FacePrediction(
    PixelBox Box,
    float? Score,
    PixelBox Crop,
    string Emotion,
    float Confidence,
    IReadOnlyDictionary<string, float> Probabilities,
    string ModelVersion,
    string? Id = null);
