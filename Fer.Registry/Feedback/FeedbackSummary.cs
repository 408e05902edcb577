namespace Fer.Registry.Feedback;

/// <summary>The feedback set as it stands: how many labels, its content hash (<see cref="FeedbackStore.ContentHash"/>),
/// the labels per emotion, and the store's bounds.</summary>
public sealed record FeedbackSummary(
    int Count,
    string Hash,
    IReadOnlyDictionary<string, int> PerEmotion,
    DateTimeOffset? Oldest,
    DateTimeOffset? Newest,
    int MaxEntries,
    TimeSpan Retention);
