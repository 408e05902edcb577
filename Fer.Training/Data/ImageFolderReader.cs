using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>
/// Reads one split of the image-folder layout (<c>ROOT/SPLIT/&lt;class&gt;/*</c>, class folder names in any case, any
/// image size) through the serving image path, <see cref="FaceImageDecoder"/>, in parallel. Unreadable files are skipped
/// and counted; a missing folder, an unknown class folder or an empty class folder is an error naming it.
/// </summary>
public static class ImageFolderReader
{
    /// <param name="crop">How a file's bytes become the face to score (null: <see cref="FaceImageDecoder.Decode(byte[], long)"/>,
    /// the centre square); it answers null where it finds no face, and the file is then left out as such.</param>
    public static FaceDataset Read(string splitDirectory, int maxPerClass = 0, CancellationToken cancellationToken = default,
        Func<byte[], FaceImage?>? crop = null)
    {
        if (!Directory.Exists(splitDirectory))
            throw new DataFormatException($"{splitDirectory}: directory not found");

        var files = new List<(string Path, int Label)>();
        var seen = new bool[EmotionLabels.Count];
        foreach (var classDirectory in Directory.GetDirectories(splitDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(classDirectory);
            if (!EmotionLabels.TryParse(name, out var label))
                throw new DataFormatException(
                    $"{classDirectory}: unknown class folder '{name}' (expected one of {string.Join(", ", EmotionLabels.Names)})");
            if (seen[label])
                throw new DataFormatException($"{classDirectory}: a second folder for class '{EmotionLabels.Names[label]}'");
            seen[label] = true;

            var classFiles = Directory.GetFiles(classDirectory).Order(StringComparer.Ordinal).ToList();
            if (classFiles.Count == 0)
                throw new DataFormatException($"{classDirectory}: class folder '{name}' holds no files");
            if (maxPerClass > 0 && classFiles.Count > maxPerClass) classFiles = classFiles.Take(maxPerClass).ToList();
            files.AddRange(classFiles.Select(f => (f, label)));
        }
        if (files.Count == 0)
            throw new DataFormatException($"{splitDirectory}: no class folders (expected {string.Join(", ", EmotionLabels.Names)})");

        var decoded = new FaceSample?[files.Count];
        var errors = new string?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (path, label) = files[i];
            try
            {
                var bytes = File.ReadAllBytes(path);
                if ((crop is null ? FaceImageDecoder.Decode(bytes) : crop(bytes)) is { } face) decoded[i] = FaceSample.From(face, label, path);
                else errors[i] = $"{path}: no face found";
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                errors[i] = $"{path}: {e.Message}";
            }
        });

        var samples = decoded.OfType<FaceSample>().ToList();
        if (samples.Count == 0)
            throw new DataFormatException($"{splitDirectory}: none of its {files.Count} files is a readable image with a face ({errors.First(e => e is not null)})");
        return new FaceDataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(splitDirectory)), samples,
            errors.OfType<string>().ToList());
    }
}
