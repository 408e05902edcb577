namespace Fer.Registry.Feedback;

/// <summary>What became of one piece of feedback.</summary>
public enum FeedbackOutcome
{
    /// <summary>Kept in the store.</summary>
    Stored,

    /// <summary>No prediction with that id is remembered (never given, expired, or its replica is gone).</summary>
    Unknown,

    /// <summary>The store could not be written; it may pass.</summary>
    Unavailable,
}
