using System.Text.Json.Nodes;
using Fer.Benchmarks;
using Fer.Contracts.Monitoring;
using Fer.Inference.Monitoring;
using Fer.Tests.Infrastructure;
using Fer.Training.Onnx;

namespace Fer.Tests.Monitoring;

/// <summary>The bundled model, its committed monitoring reference, and what it answers on FER2013's test faces under
/// each shift (run once through ONNX Runtime and kept), as the observations a replica would record.</summary>
public static class BundledReplay
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<FaceShift, (FaceObservation[] Faces, bool[] Correct)> Answered = [];

    public static string ModelPath => Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx");

    public static MonitoringReference Reference { get; } = MonitoringReference.TryParse(File.ReadAllText(
        Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", MonitoringReference.FileName)))
        ?? throw new InvalidDataException("the bundled model's monitoring reference does not parse");

    /// <summary>Registry metrics that carry the committed reference (and a validation macro-F1 when given), as the
    /// trainer publishes a version.</summary>
    public static string MetricsJson(double? valMacroF1 = null)
    {
        var metrics = new JsonObject();
        if (valMacroF1 is { } f1) metrics["valMacroF1"] = f1;
        metrics["monitoring"] = JsonNode.Parse(Reference.ToJson());
        return metrics.ToJsonString();
    }

    /// <summary>Each test face under <paramref name="shift"/> as the bundled model answered it, and whether it was right.</summary>
    public static (FaceObservation[] Faces, bool[] Correct) Answers(FaceShift shift)
    {
        lock (Gate)
        {
            if (Answered.TryGetValue(shift, out var answers)) return answers;
            var faces = Fer2013Replay.Faces(shift);
            using var model = new OnnxRuntimeModel(File.ReadAllBytes(ModelPath));
            var pixels = faces.Select(face => face.Pixels).ToList();
            var rows = model.Probabilities(pixels);
            var observations = new FaceObservation[faces.Count];
            var correct = new bool[faces.Count];
            for (var i = 0; i < faces.Count; i++)
            {
                observations[i] = FaceObservation.Of(rows[i], pixels[i], Reference);
                correct[i] = observations[i].Class == faces[i].Label;
            }
            return Answered[shift] = (observations, correct);
        }
    }
}
