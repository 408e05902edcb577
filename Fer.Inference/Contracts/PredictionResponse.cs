namespace Fer.Inference.Contracts;

/// <summary>One image's prediction: the top emotion, its probability, every class's probability (in the model's label
/// order), and the model version that computed it.</summary>
public sealed record PredictionResponse(
    string Emotion,
    float Confidence,
    IReadOnlyDictionary<string, float> Probabilities,
    string ModelVersion,
    PredictionTimings Timings);
