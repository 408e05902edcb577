namespace Fer.Inference.Contracts;

/// <summary>A kept label: the face, the emotion given, what the version that answered had said, and how many labels the
/// feedback store now holds.</summary>
public sealed record FeedbackReceipt(string Id, string Emotion, string AnsweredEmotion, string ModelVersion, long Count);
