using System.Globalization;
using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>
/// Reads the original FER2013 CSV (<c>emotion,pixels,Usage</c>; pixels are 2304 space-separated grey levels 0..255, row
/// major) into the same canonical input the image path produces. Any bad row is an error naming the file and line.
/// </summary>
public static class Fer2013CsvReader
{
    public const string TrainingUsage = "Training";
    public const string PublicTestUsage = "PublicTest";
    public const string PrivateTestUsage = "PrivateTest";

    /// <summary>The rows grouped by their <c>Usage</c> column (all under <see cref="TrainingUsage"/> when there is none).</summary>
    public static IReadOnlyDictionary<string, FaceDataset> Read(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new DataFormatException($"{path}: file not found");

        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new DataFormatException($"{path}:1: the file is empty");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        var emotionColumn = IndexOf(columns, "emotion", path);
        var pixelsColumn = IndexOf(columns, "pixels", path);
        var usageColumn = Array.FindIndex(columns, c => c.Equals("Usage", StringComparison.OrdinalIgnoreCase));

        var groups = new Dictionary<string, List<FaceSample>>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if ((lineNumber & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var fields = line.Split(',');
            if (fields.Length != columns.Length)
                throw Bad(path, lineNumber, $"{fields.Length} fields, the header has {columns.Length}");

            var emotionText = fields[emotionColumn].Trim().Trim('"');
            if (!int.TryParse(emotionText, NumberStyles.None, CultureInfo.InvariantCulture, out var label) || label >= EmotionLabels.Count)
                throw Bad(path, lineNumber, $"emotion '{emotionText}' is not a class code 0..{EmotionLabels.Count - 1}");

            var pixels = ParsePixels(fields[pixelsColumn].Trim().Trim('"'), path, lineNumber);
            var usage = usageColumn >= 0 ? fields[usageColumn].Trim().Trim('"') : TrainingUsage;
            if (usage.Length == 0) throw Bad(path, lineNumber, "the Usage field is empty");
            if (!groups.TryGetValue(usage, out var list)) groups[usage] = list = [];
            list.Add(new FaceSample(pixels, label, $"{path}:{lineNumber}"));
        }
        if (groups.Count == 0) throw new DataFormatException($"{path}: no data rows after the header");
        return groups.ToDictionary(g => g.Key, g => new FaceDataset(g.Key, g.Value), StringComparer.OrdinalIgnoreCase);
    }

    private static float[] ParsePixels(string text, string path, int lineNumber)
    {
        var pixels = new float[FaceImage.PixelCount];
        var count = 0;
        foreach (var range in text.AsSpan().Split(' '))
        {
            var token = text.AsSpan()[range];
            if (token.IsEmpty) continue;
            if (count == pixels.Length)
                throw Bad(path, lineNumber, $"more than {FaceImage.PixelCount} pixel values");
            if (!byte.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw Bad(path, lineNumber, $"pixel {count + 1} is '{token}', not a grey level 0..255");
            pixels[count++] = value / 255f;
        }
        if (count != pixels.Length)
            throw Bad(path, lineNumber, $"{count} pixel values, expected {FaceImage.PixelCount} (48x48)");
        return pixels;
    }

    private static int IndexOf(string[] columns, string name, string path)
    {
        var index = Array.FindIndex(columns, c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw Bad(path, 1, $"no '{name}' column in the header (expected emotion,pixels,Usage)");
    }

    private static DataFormatException Bad(string path, int line, string problem) => new($"{path}:{line}: {problem}");
}
