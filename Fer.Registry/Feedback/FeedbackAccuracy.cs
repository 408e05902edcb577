namespace Fer.Registry.Feedback;

/// <summary>The accuracy users' labels measure, per version that answered a labelled face: how many labels, how many
/// equal what the version answered, and their share. Users label the faces they choose, so it is a measure of those.</summary>
public sealed record FeedbackAccuracy(IReadOnlyList<FeedbackAccuracy.Version> Versions)
{
    public sealed record Version(string Name, int Labels, int Agreed, double Accuracy)
    {
        public static Version Of(string name, int labels, int agreed) => new(name, labels, agreed, Math.Round((double)agreed / labels, 4));
    }
}
