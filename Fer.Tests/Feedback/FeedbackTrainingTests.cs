using System.Text.Json;
using Fer.Contracts;
using Fer.Tests.Data;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Training.Data;
using Fer.Training.Runs;
using Fer.Training.Torch;

namespace Fer.Tests.Feedback;

/// <summary>A small real TorchSharp run (Cnn48, FER2013 at 8 images per class) with a feedback folder in the export's
/// layout: its labels join training, a held-out fifth is scored on its own, and the run's data manifest names the
/// snapshot's hash.</summary>
public sealed class FeedbackTrainingTests
{
    [Fact]
    public void ARunWithFeedback_TrainsOnItsLabels_ScoresTheHeldOutPart_AndNamesItsHash()
    {
        TorchRuntime.Initialize();
        using var temp = new TempDirectory();
        var feedback = Path.Combine(temp.Path, "feedback");
        // Five labelled faces per emotion, as users would have labelled them (here FER2013's own test faces).
        foreach (var image in InferenceTestModels.FerImages(perClass: 5))
        {
            var emotion = Path.GetFileName(Path.GetDirectoryName(image))!;
            Directory.CreateDirectory(Path.Combine(feedback, emotion));
            File.Copy(image, Path.Combine(feedback, emotion, Path.GetFileName(image)));
        }
        File.WriteAllText(Path.Combine(feedback, FeedbackData.ManifestName), """{"hash":"5eed0fa1c0ffee","count":35}""");

        var run = TrainingRun.Create(new TrainingOptions
        {
            DataPath = RepositoryPaths.Fer2013,
            OutputDirectory = Path.Combine(temp.Path, "run"),
            FeedbackPath = feedback,
            Model = ModelFamily.Cnn48,
            MaxImagesPerClass = 8,
            BatchSize = 8,
            PhaseOneEpochs = 1,
            PhaseTwoEpochs = 0,
            ExportOnnx = false,
            Seed = 5,
        });
        var result = run.Run();

        Assert.True(result.Completed);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "run", RunFiles.DataManifest)));
        var part = manifest.RootElement.GetProperty("feedback");
        Assert.Equal("5eed0fa1c0ffee", part.GetProperty("hash").GetString());
        Assert.Equal(28, part.GetProperty("train").GetInt32());
        Assert.Equal(7, part.GetProperty("heldOut").GetInt32());
        var accuracy = part.GetProperty("heldOutAccuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        Assert.Equal(0, accuracy * 7 % 1, 6); // a count of the 7 held-out faces

        var log = File.ReadAllText(Path.Combine(temp.Path, "run", RunFiles.Log));
        Assert.Contains("feedback 5eed0fa1c0ffee: 28 labels join training, 7 held out", log);
        var fer2013Train = FaceDataSource.Load(RepositoryPaths.Fer2013, 0.1, 5, 8).Train.Count;
        Assert.Contains($"train: {fer2013Train + 28} images", log);
        Assert.Contains($"feedback held out (7 labels of 5eed0fa1c0ffee): accuracy", log);
        Assert.Contains("feedback 5eed0fa1c0ffee: 28 labels trained on, 7 held out", File.ReadAllText(Path.Combine(temp.Path, "run", "report.md")));
        Assert.Equal(EmotionLabels.Count, FeedbackData.Load(feedback, 5).HeldOut.ClassCounts().Count(c => c == 1));
    }
}
