using System.Text.Json;
using Fer.Registry.Feedback;

namespace Fer.Trainer.Feedback;

/// <summary>Writes the feedback set as it stands into a job's run folder, in the export's layout
/// (<c>{emotion}/{id}.png</c> and <c>feedback.json</c> with the snapshot's hash), for the run to read.</summary>
public static class FeedbackFolder
{
    public const string Name = "feedback";

    /// <returns>The folder.</returns>
    public static async Task<string> WriteAsync(FeedbackStore store, string folder)
    {
        var snapshot = await store.SnapshotAsync();
        Directory.CreateDirectory(folder);
        foreach (var entry in snapshot.Entries)
        {
            var classFolder = Directory.CreateDirectory(Path.Combine(folder, entry.Emotion)).FullName;
            await File.WriteAllBytesAsync(Path.Combine(classFolder, entry.Id + ".png"), entry.CropPng);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, FeedbackExport.ManifestName),
            JsonSerializer.Serialize(new { snapshot.Hash, Count = snapshot.Entries.Count }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        return folder;
    }
}
