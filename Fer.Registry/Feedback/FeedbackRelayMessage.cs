namespace Fer.Registry.Feedback;

/// <summary>What replicas say to each other about feedback: a request (<see cref="Emotion"/> set, <see cref="ReplyTo"/>
/// naming the asking replica) or its answer (<see cref="Result"/> set), matched by <see cref="Correlation"/>.</summary>
public sealed record FeedbackRelayMessage(
    string Correlation,
    string PredictionId,
    string? Emotion = null,
    string? ReplyTo = null,
    FeedbackResult? Result = null);
