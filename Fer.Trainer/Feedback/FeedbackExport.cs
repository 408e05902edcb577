using System.IO.Compression;
using System.Text.Json;
using Fer.Registry.Feedback;

namespace Fer.Trainer.Feedback;

/// <summary>A feedback snapshot as a zip in the image-folder layout the trainer reads (<c>{emotion}/{id}.png</c>), with
/// <c>feedback.json</c> beside the folders: the snapshot's hash and, per entry, the version that answered, what it said
/// and its probabilities.</summary>
public static class FeedbackExport
{
    public const string ContentType = "application/zip";
    public const string ManifestName = "feedback.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The zip's bytes (the store is bounded, so the whole set fits in memory: about 3 KB a label).</summary>
    public static byte[] ToZip(FeedbackSnapshot snapshot)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in snapshot.Entries)
            {
                using var stream = zip.CreateEntry($"{entry.Emotion}/{entry.Id}.png", CompressionLevel.NoCompression).Open();
                stream.Write(entry.CropPng);
            }
            var manifest = new
            {
                snapshot.Hash,
                Count = snapshot.Entries.Count,
                Entries = snapshot.Entries.Select(e => new { e.Id, e.Emotion, e.AnsweredEmotion, e.ModelVersion, e.Probabilities, e.ReceivedAt }),
            };
            using var manifestStream = zip.CreateEntry(ManifestName, CompressionLevel.Optimal).Open();
            JsonSerializer.Serialize(manifestStream, manifest, Json);
        }
        return buffer.ToArray();
    }
}
