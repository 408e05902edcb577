using System.Globalization;
using System.Text;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Tests.Infrastructure;
using Fer.Training.Data;

namespace Fer.Tests.Data;

public sealed class ReaderTests
{
    private const int PerClass = 3;

    [Fact]
    public void FolderAndCsvReaders_GiveTheSameTensors_ForTheSameImages()
    {
        using var temp = new TempDirectory();
        // Real FER2013 faces, decoded once; written both as a CSV row and as a PNG in a class folder (PNG is lossless).
        var csv = new StringBuilder("emotion,pixels,Usage\n");
        var expected = new List<(float[] Pixels, int Label)>();
        for (var label = 0; label < EmotionLabels.Count; label++)
        {
            var name = EmotionLabels.Names[label];
            var folder = Path.Combine(temp.Path, "train", label % 2 == 0 ? name.ToUpperInvariant() : name);
            Directory.CreateDirectory(folder);
            var sources = Directory.GetFiles(Path.Combine(RepositoryPaths.Fer2013, "train", name)).Order(StringComparer.Ordinal).Take(PerClass);
            var i = 0;
            foreach (var source in sources)
            {
                var image = FaceImageDecoder.Decode(File.ReadAllBytes(source));
                File.WriteAllBytes(Path.Combine(folder, $"{i++:D2}.png"), image.ToPng());
                var grey = image.Pixels.Select(p => (int)MathF.Round(p * 255f)).ToArray();
                csv.Append(CultureInfo.InvariantCulture, $"{label},{string.Join(' ', grey)},Training\n");
                expected.Add((grey.Select(g => g / 255f).ToArray(), label));
            }
        }
        var csvPath = Path.Combine(temp.Path, "fer2013.csv");
        File.WriteAllText(csvPath, csv.ToString());

        var fromFolder = ImageFolderReader.Read(Path.Combine(temp.Path, "train"));
        var fromCsv = Fer2013CsvReader.Read(csvPath)[Fer2013CsvReader.TrainingUsage];

        Assert.Equal(expected.Count, fromFolder.Count);
        Assert.Equal(expected.Count, fromCsv.Count);
        Assert.Empty(fromFolder.Skipped);
        // Folder order is class folder then file name; both follow the class order here.
        var folderByLabel = fromFolder.Samples.OrderBy(s => s.Label).ThenBy(s => s.Source, StringComparer.Ordinal).ToList();
        for (var n = 0; n < expected.Count; n++)
        {
            Assert.Equal(expected[n].Label, fromCsv.Samples[n].Label);
            Assert.Equal(expected[n].Label, folderByLabel[n].Label);
            Assert.Equal(expected[n].Pixels, fromCsv.Samples[n].Pixels);
            Assert.Equal(expected[n].Pixels, folderByLabel[n].Pixels);
        }
    }

    [Fact]
    public void CsvReader_NamesTheFileAndLine_OfEachKindOfBadRow()
    {
        using var temp = new TempDirectory();
        var good = string.Join(' ', Enumerable.Repeat("128", FaceImage.PixelCount));
        var cases = new (string Row, string Problem)[]
        {
            ($"9,{good},Training", "emotion '9'"),
            ($"3,{string.Join(' ', Enumerable.Repeat("1", 100))},Training", "100 pixel values"),
            ($"3,{good.Replace("128 128", "128 300", StringComparison.Ordinal)},Training", "not a grey level"),
            ($"3,{good}", "2 fields"),
        };
        foreach (var (row, problem) in cases)
        {
            var path = Path.Combine(temp.Path, "bad.csv");
            File.WriteAllText(path, $"emotion,pixels,Usage\n3,{good},Training\n{row}\n");
            var error = Assert.Throws<DataFormatException>(() => Fer2013CsvReader.Read(path));
            Assert.StartsWith($"{path}:3:", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }

        var noPixels = Path.Combine(temp.Path, "header.csv");
        File.WriteAllText(noPixels, "emotion,Usage\n3,Training\n");
        Assert.StartsWith($"{noPixels}:1:", Assert.Throws<DataFormatException>(() => Fer2013CsvReader.Read(noPixels)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderReader_NamesMissingUnknownAndEmptyFolders_AndSkipsUnreadableFiles()
    {
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "nope");
        Assert.Contains($"{missing}: directory not found", Assert.Throws<DataFormatException>(() => ImageFolderReader.Read(missing)).Message, StringComparison.Ordinal);

        var split = Path.Combine(temp.Path, "train");
        var happy = Path.Combine(split, "Happy");
        Directory.CreateDirectory(happy);
        File.Copy(Directory.GetFiles(Path.Combine(RepositoryPaths.Fer2013, "train", "happy")).Order(StringComparer.Ordinal).First(), Path.Combine(happy, "a.jpg"));
        File.WriteAllText(Path.Combine(happy, "b.jpg"), "not a jpeg");

        var read = ImageFolderReader.Read(split);
        Assert.Equal(1, read.Count);
        Assert.Equal(3, read.Samples[0].Label);
        var skipped = Assert.Single(read.Skipped);
        Assert.Contains("b.jpg", skipped, StringComparison.Ordinal);

        var empty = Path.Combine(split, "sad");
        Directory.CreateDirectory(empty);
        Assert.Contains($"{empty}: class folder 'sad' holds no files", Assert.Throws<DataFormatException>(() => ImageFolderReader.Read(split)).Message, StringComparison.Ordinal);
        Directory.Delete(empty);

        var unknown = Path.Combine(split, "contempt");
        Directory.CreateDirectory(unknown);
        var error = Assert.Throws<DataFormatException>(() => ImageFolderReader.Read(split));
        Assert.Contains($"{unknown}: unknown class folder 'contempt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StratifiedSplit_KeepsEveryClassInBothParts_AndIsSeeded()
    {
        var samples = new List<FaceSample>();
        int[] counts = [40, 5, 30, 70, 20, 10, 50];
        for (var label = 0; label < counts.Length; label++)
            for (var i = 0; i < counts[label]; i++) samples.Add(new FaceSample(new float[FaceImage.PixelCount], label, $"{label}/{i}"));
        var data = new FaceDataset("synthetic", samples);

        var (train, validation) = StratifiedSplit.Split(data, 0.1, seed: 7);
        var (train2, validation2) = StratifiedSplit.Split(data, 0.1, seed: 7);
        var (_, validation3) = StratifiedSplit.Split(data, 0.1, seed: 8);

        Assert.Equal(data.Count, train.Count + validation.Count);
        Assert.Empty(train.Samples.Select(s => s.Source).Intersect(validation.Samples.Select(s => s.Source)));
        Assert.Equal([4, 1, 3, 7, 2, 1, 5], validation.ClassCounts());
        Assert.Equal(validation.Samples.Select(s => s.Source), validation2.Samples.Select(s => s.Source));
        Assert.Equal(train.Samples.Select(s => s.Source), train2.Samples.Select(s => s.Source));
        Assert.NotEqual(validation.Samples.Select(s => s.Source), validation3.Samples.Select(s => s.Source));
    }

    [Fact]
    public void TheValidationSplit_OfAFolderWithoutOne_IsTheOneARunHoldsOut()
    {
        var run = FaceDataSource.Load(RepositoryPaths.Fer2013, validationFraction: 0.1, seed: 42, maxPerClass: 30).Validation;

        var evaluated = FaceDataSource.LoadSplit(RepositoryPaths.Fer2013, FaceDataSource.Validation, maxPerClass: 30, validationFraction: 0.1, seed: 42);
        var otherSeed = FaceDataSource.LoadSplit(RepositoryPaths.Fer2013, FaceDataSource.Validation, maxPerClass: 30, validationFraction: 0.1, seed: 43);

        Assert.Equal(run.Samples.Select(s => s.Source), evaluated.Samples.Select(s => s.Source));
        Assert.NotEqual(run.Samples.Select(s => s.Source), otherSeed.Samples.Select(s => s.Source));
    }
}
