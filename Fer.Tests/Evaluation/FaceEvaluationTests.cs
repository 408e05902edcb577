using Fer.Contracts;
using Fer.Faces;
using Fer.Faces.Composites;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Imaging;
using Fer.Tests.Data;
using Fer.Tests.Faces;
using Fer.Tests.Infrastructure;
using Fer.Cli;
using Fer.Training.Data;
using Fer.Training.Evaluation;
using Fer.Training.Onnx;

namespace Fer.Tests.Evaluation;

/// <summary><c>evaluate --faces</c>: whole photos scored through the same face finder as /predict, with the shipped model.</summary>
public sealed class FaceEvaluationTests
{
    private static string BundledModel => Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx");

    [Fact]
    public void Detect_TakesFer2013sCropsWhole_AndScoresThemAsBefore()
    {
        var before = OnnxEvaluator.Evaluate(BundledModel, RepositoryPaths.Fer2013, "test", maxPerClass: 10);
        var detect = OnnxEvaluator.Evaluate(BundledModel, RepositoryPaths.Fer2013, "test", maxPerClass: 10, faces: FaceMode.Detect);

        Assert.Equal(before.Metrics.ConfusionMatrix, detect.Metrics.ConfusionMatrix);
        Assert.Equal(before.Metrics.MacroRocAuc, detect.Metrics.MacroRocAuc);
        Assert.Equal(new FaceEvaluation(FaceMode.Detect, "UltraFace RFB-640", WithoutFace: 0, TakenWhole: 70), detect.Faces);
        Assert.Null(before.Faces);
    }

    [Fact]
    public void Detect_ScoresTheFaceFoundInEachPhoto_AndLeavesOutPhotosWithoutOne()
    {
        var composites = new CompositeFrameGenerator(CompositeTestFaces.Load(perEmotion: 4));
        using var temp = new TempDirectory();
        // Four photos of one face each (faces the detector finds on these backgrounds), filed under the face's class,
        // and one photo of no face at all.
        PlacedFace[] placed = [new(12, 250, 150, 140), new(13, 60, 200, 110), new(20, 400, 100, 120), new(22, 300, 250, 180)];
        var photos = placed.Select((face, i) => (composites.Compose(640, 480, CompositeBackground.Gradient, [face], seed: i), composites.Faces[face.Face].Label)).ToList();
        photos.Add((composites.Compose(640, 480, CompositeBackground.Flat, [], seed: 9), 0));
        for (var i = 0; i < photos.Count; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "test", EmotionLabels.Names[photos[i].Item2])).FullName;
            var image = photos[i].Item1.Image;
            File.WriteAllBytes(Path.Combine(folder, $"photo{i}.png"), GrayPng.Encode(image.Pixels, image.Width, image.Height));
        }
        // The model on the face finder's own crops of the four faces: what the evaluation must report.
        using var detector = new UltraFaceDetector(FaceDetectorFile.Bundled);
        var finder = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions());
        var crops = photos.Take(placed.Length).Select(p => finder.Find(p.Item1.Image).Faces.Single().Crop.Pixels).ToArray();
        using var model = new OnnxRuntimeModel(File.ReadAllBytes(BundledModel));
        var outputs = model.Run(crops.SelectMany(c => c).ToArray(), crops.Length);
        var right = Enumerable.Range(0, crops.Length).Count(i =>
        {
            var row = outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes).ToArray();
            return Array.IndexOf(row, row.Max()) == photos[i].Item2;
        });

        var detect = OnnxEvaluator.Evaluate(BundledModel, temp.Path, "test", faces: FaceMode.Detect);
        var centre = OnnxEvaluator.Evaluate(BundledModel, temp.Path, "test", faces: FaceMode.Centre);

        Assert.Equal(placed.Length, detect.Metrics.Count);
        Assert.Equal((1, 0), (detect.Faces!.WithoutFace, detect.Faces.TakenWhole));
        Assert.Equal((double)right / placed.Length, detect.Metrics.Accuracy, 1e-9);
        Assert.Equal(photos.Count, centre.Metrics.Count);
        Assert.Equal(0, centre.Faces!.WithoutFace);
        Assert.Contains("no face found in 1 of 5 images", detect.Faces.Describe(detect.Metrics.Count, detect.Metrics.Accuracy), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateVerb_RefusesAnUnknownFacesMode()
    {
        Assert.Equal(1, await FerCommandLine.RunAsync(["evaluate", "--model", BundledModel, "--data", RepositoryPaths.Fer2013, "--faces", "sideways"]));
    }

    [Fact]
    public void CompositeScore_ClassifiesTheFacesFoundInFramesOfValidationFaces()
    {
        var validation = FaceDataSource.LoadSplit(RepositoryPaths.Fer2013, FaceDataSource.Validation, maxPerClass: 20);
        using var model = new OnnxRuntimeModel(File.ReadAllBytes(BundledModel));

        var score = CompositeScore.Measure(validation, faces =>
        {
            var outputs = model.Run(faces.Samples.SelectMany(s => s.Pixels).ToArray(), faces.Count);
            return Enumerable.Range(0, faces.Count).Select(i => outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes).ToArray()).ToList();
        }, frames: 30);

        // The shipped model scores about 68 % on FER2013's faces (chance: 14 %); labels paired with the wrong crops
        // would fall to chance.
        Assert.InRange(score.Found, score.Faces / 2, score.Faces);
        Assert.InRange(score.TightAccuracy, 0.45, 0.95);
        Assert.InRange(score.FramedAccuracy, 0.4, 0.95);
        Assert.StartsWith("- composite frames (30 frames", score.Describe(), StringComparison.Ordinal);
    }
}
