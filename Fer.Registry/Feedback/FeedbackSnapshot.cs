namespace Fer.Registry.Feedback;

/// <summary>Every stored label at one moment, in id order, and the hash that names exactly this content.</summary>
public sealed record FeedbackSnapshot(string Hash, IReadOnlyList<FeedbackEntry> Entries);
