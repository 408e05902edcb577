using System.ComponentModel.DataAnnotations;

namespace Fer.Inference.Feedback;

/// <summary>How long, and how many, answered faces a replica remembers in memory for feedback (section
/// <c>Inference:Feedback</c>). Nothing of a face is kept beyond this window unless its user labels it.</summary>
public sealed class FeedbackWindowOptions
{
    public const string SectionName = "Inference:Feedback";
    private const string Key = SectionName + ":";

    /// <summary>How long after the answer a face can still be labelled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = Key + nameof(Window) + " must be between one second and one day")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Most faces remembered at once (about 2.5 KB each); the oldest are forgotten first. 0 gives no ids.</summary>
    [Range(0, 1_000_000, ErrorMessage = Key + nameof(MaxPending) + " must be between {1} and {2}")]
    public int MaxPending { get; set; } = 4096;
}
