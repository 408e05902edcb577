using Fer.Contracts;
using Fer.Faces;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Imaging;
using Fer.Training.Data;
using Fer.Training.Onnx;

namespace Fer.Training.Evaluation;

/// <summary>
/// Evaluates an exported model through ONNX Runtime on one split read through the serving image path: the numbers a
/// deployment of this file would get, independent of TorchSharp.
/// </summary>
public static class OnnxEvaluator
{
    /// <param name="faces">How each image becomes the face scored, through the same face finder as /predict (null: the
    /// centre square, as before faces were detected).</param>
    public static EvaluationResult Evaluate(string modelPath, string dataPath, string split, int batchSize = 64, int maxPerClass = 0,
        CancellationToken cancellationToken = default, double validationFraction = 0.1, int seed = 42, FaceMode? faces = null)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"--model: {modelPath} not found", modelPath);
        using var model = new OnnxRuntimeModel(File.ReadAllBytes(modelPath));
        if (model.SampleLength != FaceImage.PixelCount)
            throw new InvalidDataException($"{modelPath}: input is [{string.Join(",", model.SampleShape)}] per image, expected [1,48,48]");
        var info = model.ReadInfo();
        var labels = info.Labels;
        if (!labels.SequenceEqual(EmotionLabels.Names, StringComparer.OrdinalIgnoreCase))
            throw new InvalidDataException($"{modelPath}: labels [{string.Join(", ", labels)}] are not the FER2013 classes in order [{string.Join(", ", EmotionLabels.Names)}]");

        using var detector = faces is null ? null : new UltraFaceDetector(FaceDetectorFile.Bundled);
        var photos = faces is { } mode ? new PhotoFaces(new FaceFinder(detector!, FaceFraming.Fitted, new FaceFinderOptions()), mode) : null;
        var data = FaceDataSource.LoadSplit(dataPath, split, maxPerClass, cancellationToken, validationFraction, seed, photos is null ? null : photos.Crop);
        var probabilities = new List<float[]>(data.Count);
        foreach (var batch in new BatchLoader(data, batchSize, seed: 0).Epoch(0, BatchContent.Plain, cancellationToken))
        {
            var outputs = model.Run(batch.Pixels, batch.Count, cancellationToken);
            for (var i = 0; i < outputs.Batch; i++)
                probabilities.Add(outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes).ToArray());
        }
        return EvaluationResult.Compute(modelPath, dataPath, split, labels, data.Samples.Select(s => s.Label).ToArray(), probabilities,
            info.Family) with { Faces = photos is null ? null : new FaceEvaluation(photos.Mode, photos.Detector, photos.WithoutFace, photos.TakenWhole) };
    }
}
