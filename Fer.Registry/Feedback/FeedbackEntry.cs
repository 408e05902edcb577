namespace Fer.Registry.Feedback;

/// <summary>One face a user labelled: the 48x48 crop the model saw (8-bit gray PNG), the emotion the user gave, and what
/// the version that answered said (its emotion and every class's probability).</summary>
public sealed record FeedbackEntry(
    string Id,
    string Emotion,
    string AnsweredEmotion,
    string ModelVersion,
    IReadOnlyDictionary<string, float> Probabilities,
    byte[] CropPng,
    DateTimeOffset ReceivedAt);
