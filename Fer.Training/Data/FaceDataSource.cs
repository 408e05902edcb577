using Fer.Contracts;
using Fer.Imaging;

namespace Fer.Training.Data;

/// <summary>
/// Opens a data set in either supported form: a FER2013 CSV file (<c>Training</c> / <c>PublicTest</c> /
/// <c>PrivateTest</c>) or an image-folder root (<c>train/</c>, optional <c>val/</c> or <c>validation/</c>, <c>test/</c>).
/// </summary>
public static class FaceDataSource
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    private static readonly string[] ValidationFolders = ["val", "validation", "valid"];

    /// <summary>Train, validation (the data's own, else a stratified seeded split of train) and test when present.</summary>
    public static FaceDataSplits Load(string path, double validationFraction, int seed, int maxPerClass = 0,
        CancellationToken cancellationToken = default)
    {
        if (IsCsv(path))
        {
            var parts = Fer2013CsvReader.Read(path, cancellationToken);
            var train = Limit(Part(parts, Fer2013CsvReader.TrainingUsage, path), maxPerClass);
            parts.TryGetValue(Fer2013CsvReader.PrivateTestUsage, out var test);
            if (parts.TryGetValue(Fer2013CsvReader.PublicTestUsage, out var publicTest))
                return new FaceDataSplits(train, Limit(publicTest, maxPerClass), LimitOptional(test, maxPerClass), "PublicTest rows of the CSV");
            var (t, v) = StratifiedSplit.Split(train, validationFraction, seed);
            return new FaceDataSplits(t, v, LimitOptional(test, maxPerClass), $"stratified {validationFraction:P0} of Training (seed {seed})");
        }

        RequireDirectory(path);
        var trainSet = ImageFolderReader.Read(Path.Combine(path, Train), maxPerClass, cancellationToken);
        var testDirectory = Path.Combine(path, Test);
        var testSet = Directory.Exists(testDirectory) ? ImageFolderReader.Read(testDirectory, maxPerClass, cancellationToken) : null;
        var validationDirectory = ValidationFolders.Select(v => Path.Combine(path, v)).FirstOrDefault(Directory.Exists);
        if (validationDirectory is not null)
            return new FaceDataSplits(trainSet, ImageFolderReader.Read(validationDirectory, maxPerClass, cancellationToken), testSet,
                $"the folder {Path.GetFileName(validationDirectory)}/");
        var (trainPart, validationPart) = StratifiedSplit.Split(trainSet, validationFraction, seed);
        return new FaceDataSplits(trainPart, validationPart, testSet, $"stratified {validationFraction:P0} of train/ (seed {seed})");
    }

    /// <summary>One named split (<c>train</c>, <c>validation</c>/<c>val</c>, <c>test</c>) as stored, for evaluation.</summary>
    /// <remarks>An image folder without a validation folder holds its validation out of train/: the stratified split a
    /// run with <paramref name="validationFraction"/> and <paramref name="seed"/> holds out (a run's defaults: 10 %, 42).</remarks>
    /// <param name="crop">For an image folder, how each file becomes the face to score (see <see cref="ImageFolderReader.Read"/>);
    /// a CSV holds 48x48 crops already.</param>
    public static FaceDataset LoadSplit(string path, string split, int maxPerClass = 0, CancellationToken cancellationToken = default,
        double validationFraction = 0.1, int seed = 42, Func<byte[], FaceImage?>? crop = null)
    {
        var isValidation = ValidationFolders.Contains(split, StringComparer.OrdinalIgnoreCase);
        if (IsCsv(path))
        {
            var parts = Fer2013CsvReader.Read(path, cancellationToken);
            var usage = split.ToLowerInvariant() switch
            {
                Train => Fer2013CsvReader.TrainingUsage,
                Test => Fer2013CsvReader.PrivateTestUsage,
                _ when isValidation => Fer2013CsvReader.PublicTestUsage,
                _ => split,
            };
            return Limit(Part(parts, usage, path), maxPerClass);
        }

        RequireDirectory(path);
        if (isValidation && !ValidationFolders.Any(v => Directory.Exists(Path.Combine(path, v))))
        {
            // The held-out part of train/: the split is drawn over the images as the run read them, then cropped as asked.
            var heldOut = Load(path, validationFraction, seed, maxPerClass, cancellationToken).Validation;
            return crop is null ? heldOut : Recrop(heldOut, crop, cancellationToken);
        }
        var directory = isValidation
            ? ValidationFolders.Select(v => Path.Combine(path, v)).First(Directory.Exists)
            : Path.Combine(path, split);
        return ImageFolderReader.Read(directory, maxPerClass, cancellationToken, crop);
    }

    private static FaceDataset Recrop(FaceDataset data, Func<byte[], FaceImage?> crop, CancellationToken cancellationToken)
    {
        var samples = new FaceSample?[data.Count];
        Parallel.For(0, data.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var sample = data.Samples[i];
            if (crop(File.ReadAllBytes(sample.Source)) is { } face) samples[i] = FaceSample.From(face, sample.Label, sample.Source);
        });
        var skipped = data.Samples.Where((_, i) => samples[i] is null).Select(s => $"{s.Source}: no face found");
        return new FaceDataset(data.Name, samples.OfType<FaceSample>().ToList(), data.Skipped.Concat(skipped).ToList());
    }

    private static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static void RequireDirectory(string path)
    {
        if (!Directory.Exists(path)) throw new DataFormatException($"{path}: directory not found");
    }

    private static FaceDataset Part(IReadOnlyDictionary<string, FaceDataset> parts, string usage, string path) =>
        parts.TryGetValue(usage, out var part)
            ? part
            : throw new DataFormatException($"{path}: no rows with Usage '{usage}' (found {string.Join(", ", parts.Keys)})");

    private static FaceDataset? LimitOptional(FaceDataset? data, int maxPerClass)
    {
        return data is null ? null : Limit(data, maxPerClass);
    }

    private static FaceDataset Limit(FaceDataset data, int maxPerClass)
    {
        if (maxPerClass <= 0) return data;
        var taken = new int[EmotionLabels.Count];
        return data.Subset(data.Name, Enumerable.Range(0, data.Count).Where(i => taken[data.Samples[i].Label]++ < maxPerClass));
    }
}
