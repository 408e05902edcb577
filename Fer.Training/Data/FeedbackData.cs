using System.Text.Json;

namespace Fer.Training.Data;

/// <summary>
/// A feedback snapshot as training reads it: a folder in the export's layout (<c>{emotion}/{id}.png</c> and
/// <c>feedback.json</c> naming the snapshot's hash), split by a seeded stratified draw into the part that joins training
/// and a held-out part the run scores on its own (users' faces are not FER2013's: their score says how the model does on
/// them).
/// </summary>
public sealed record FeedbackData(string Hash, FaceDataset Train, FaceDataset HeldOut)
{
    public const string ManifestName = "feedback.json";
    public const double HeldOutFraction = 0.2;

    public static FeedbackData Load(string folder, int seed, CancellationToken cancellationToken = default)
    {
        var manifest = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifest))
            throw new DataFormatException($"{folder}: no {ManifestName} (a feedback folder is an unpacked GET /feedback/export)");
        string hash;
        using (var document = JsonDocument.Parse(File.ReadAllBytes(manifest)))
            hash = document.RootElement.TryGetProperty("hash", out var value) && value.GetString() is { Length: > 0 } text
                ? text
                : throw new DataFormatException($"{manifest}: no 'hash'");
        if (!Directory.EnumerateDirectories(folder).Any())
            return new FeedbackData(hash, new FaceDataset("feedback", []), new FaceDataset("feedback held out", []));
        var all = ImageFolderReader.Read(folder, cancellationToken: cancellationToken);
        var (train, heldOut) = StratifiedSplit.Split(all, HeldOutFraction, seed);
        return new FeedbackData(hash, train, heldOut);
    }

    /// <summary>The data's train split with this snapshot's training part added.</summary>
    public FaceDataSplits JoinTraining(FaceDataSplits data) =>
        data with { Train = new FaceDataset(data.Train.Name + " + feedback", [.. data.Train.Samples, .. Train.Samples], data.Train.Skipped) };
}
