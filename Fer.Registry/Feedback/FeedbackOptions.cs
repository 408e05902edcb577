using System.ComponentModel.DataAnnotations;

namespace Fer.Registry.Feedback;

/// <summary>Bounds of the feedback store (configuration section <c>Feedback</c>), checked at start; each message names its key.</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Feedback";
    private const string Key = SectionName + ":";

    /// <summary>Most labels kept; the oldest go first beyond it.</summary>
    [Range(1, 1_000_000, ErrorMessage = Key + nameof(MaxEntries) + " must be between {1} and {2}")]
    public int MaxEntries { get; set; } = 20_000;

    /// <summary>How long a label is kept after it was given.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = Key + nameof(Retention) + " must be between one second and ten years")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(180);
}
