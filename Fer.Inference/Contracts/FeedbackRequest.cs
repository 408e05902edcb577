namespace Fer.Inference.Contracts;

/// <summary>A user's label for one answered face: the face's <see cref="Id"/> from /predict and the right emotion.</summary>
public sealed record FeedbackRequest(string? Id, string? Emotion);
