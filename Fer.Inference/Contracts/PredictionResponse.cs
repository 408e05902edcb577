namespace Fer.Inference.Contracts;

/// <summary>One image's answer: every face found, largest first (<see cref="Faces"/>), and the largest face's emotion,
/// its probability and every class's probability (in the model's label order) at the top level, as before faces were
/// detected. <see cref="Detector"/> names the face detector (null when the image was taken whole or by its centre). With no face found the top level holds no emotion and <see cref="Message"/> says what to do.</summary>
public sealed record PredictionResponse(
    string? Emotion,
    float Confidence,
    IReadOnlyDictionary<string, float> Probabilities,
    string ModelVersion,
    PredictionTimings Timings,
    string FaceMode,
    string? Detector,
    ImageDimensions Image,
    IReadOnlyList<FacePrediction> Faces,
    string? Message = null);
