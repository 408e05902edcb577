using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Training.Onnx;

/// <summary>
/// The images the parity gate compares on: real FER2013 crops (the first images of each class of the test split, in
/// file-name order) and seeded uniform noise, as canonical input [N, 1, 48, 48] in [0, 1].
/// </summary>
public sealed record ProbeBatch(float[] Pixels, IReadOnlyList<string> Sources)
{
    public const int Side = ModelInput.CropSize;
    public const int SampleLength = Side * Side;

    public int Count => Sources.Count;

    /// <param name="fer2013Root">The folder holding <c>test/&lt;class&gt;/*.jpg</c>.</param>
    public static ProbeBatch Create(string fer2013Root, int imagesPerClass = 1, int noiseImages = 3, int seed = 2013)
    {
        var split = Path.Combine(fer2013Root, "test");
        if (!Directory.Exists(split))
            throw new DirectoryNotFoundException($"Probe images: '{split}' does not exist (expected FER2013 as test/<class>/*.jpg).");

        var sources = new List<string>();
        var pixels = new List<float>();
        foreach (var label in EmotionLabels.Names)
        {
            var folder = Path.Combine(split, label);
            var files = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(imagesPerClass).ToList()
                : [];
            if (files.Count < imagesPerClass)
                throw new FileNotFoundException($"Probe images: '{folder}' has {files.Count} .jpg files, {imagesPerClass} needed.");
            foreach (var file in files)
            {
                pixels.AddRange(ReadGray48(file));
                sources.Add(Path.GetRelativePath(fer2013Root, file));
            }
        }

        var random = new Random(seed);
        for (var n = 0; n < noiseImages; n++)
        {
            for (var i = 0; i < SampleLength; i++) pixels.Add(random.NextSingle());
            sources.Add($"noise #{n} (seed {seed})");
        }
        return new ProbeBatch(pixels.ToArray(), sources);
    }

    /// <summary>Only seeded noise: for models whose input is not a face crop, and for tests of the gate itself.</summary>
    public static ProbeBatch Noise(int count, int sampleLength, int seed = 2013)
    {
        var random = new Random(seed);
        var pixels = new float[count * sampleLength];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        return new ProbeBatch(pixels, Enumerable.Range(0, count).Select(n => $"noise #{n} (seed {seed})").ToArray());
    }

    /// <summary>Walks up from <paramref name="start"/> to the folder holding Fer.sln and returns its ../shared/data/fer2013.</summary>
    public static string? LocateFer2013(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Fer.sln"))) continue;
            var candidate = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "fer2013"));
            return Directory.Exists(candidate) ? candidate : null;
        }
        return null;
    }

    /// <summary>The image through the serving path (Fer.Imaging); it must already be a 48x48 crop, as FER2013's are.</summary>
    private static float[] ReadGray48(string file)
    {
        FaceImage face;
        try
        {
            face = FaceImageDecoder.Decode(File.ReadAllBytes(file));
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidDataException($"Probe image '{file}' could not be decoded: {e.Message}", e);
        }
        if (face.SourceWidth != Side || face.SourceHeight != Side)
            throw new InvalidDataException($"Probe image '{file}' is {face.SourceWidth}x{face.SourceHeight}, not {Side}x{Side}.");
        return face.Pixels;
    }
}
