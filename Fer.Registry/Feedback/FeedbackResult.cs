namespace Fer.Registry.Feedback;

/// <summary>What became of one label: its outcome and, once stored, the version that had answered, what it had said, and
/// how many labels the store now holds.</summary>
public sealed record FeedbackResult(FeedbackOutcome Outcome, string? ModelVersion = null, string? AnsweredEmotion = null, long Count = 0);
