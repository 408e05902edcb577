namespace Fer.Inference.Feedback;

/// <summary>A face this replica answered, remembered for a short while in case its user labels it: the 48x48 crop as
/// 8-bit gray, the answer, and when it was given.</summary>
public sealed record PendingPrediction(
    string Id,
    byte[] Crop,
    string Emotion,
    IReadOnlyDictionary<string, float> Probabilities,
    string ModelVersion,
    long AnsweredAt);
