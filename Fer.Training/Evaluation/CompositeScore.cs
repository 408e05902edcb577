using System.Globalization;
using Fer.Faces;
using Fer.Faces.Composites;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Training.Data;

namespace Fer.Training.Evaluation;

/// <summary>A model's accuracy on composite frames (docs/faces.md): a fixed set of frames made from validation faces, the
/// faces found and framed as /predict does, each face's framed crop against its own tight 48x48 crop.</summary>
public sealed record CompositeScore(int Frames, int Faces, int Found, double TightAccuracy, double FramedAccuracy)
{
    public const int DefaultFrames = 60;
    public const int Seed = 2026;

    /// <param name="predict">The model's class probabilities for each sample of a data set.</param>
    public static CompositeScore Measure(FaceDataset faces, Func<FaceDataset, IReadOnlyList<float[]>> predict, int frames = DefaultFrames)
    {
        var placeable = CompositeFaces.From(faces);
        using var detector = new UltraFaceDetector(FaceDetectorFile.Bundled);
        var finder = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions());
        List<FaceSample> tight = [], framed = [];
        var placed = 0;
        foreach (var frame in new CompositeFrameGenerator(placeable).Frames(Seed).Take(frames))
        {
            var found = finder.Find(frame.Image).Faces;
            var matches = FaceMatching.Match(frame.Faces, found.Select(face => face.Box!.Value).ToList());
            placed += frame.Faces.Count;
            for (var f = 0; f < matches.Length; f++)
            {
                if (matches[f] < 0) continue;
                var sample = faces.Samples[frame.Faces[f].Face];
                tight.Add(sample);
                framed.Add(FaceSample.From(found[matches[f]].Crop, sample.Label, sample.Source));
            }
        }
        return new CompositeScore(frames, placed, tight.Count, Accuracy(tight, predict), Accuracy(framed, predict));
    }

    /// <summary>One Markdown line for a report.</summary>
    public string Describe() => Found == 0
        ? $"- composite frames ({Frames} frames of validation faces, seed {Seed}, docs/faces.md): none of {Faces} faces found"
        : string.Create(CultureInfo.InvariantCulture,
            $"- composite frames ({Frames} frames of validation faces, seed {Seed}, docs/faces.md): {Found} of {Faces} faces found; accuracy on their framed crops {FramedAccuracy:P1} against {TightAccuracy:P1} on the same faces' tight crops");

    private static double Accuracy(List<FaceSample> samples, Func<FaceDataset, IReadOnlyList<float[]>> predict)
    {
        if (samples.Count == 0) return double.NaN;
        var probabilities = predict(new FaceDataset("composite", samples));
        var right = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var row = probabilities[i];
            var best = 0;
            for (var c = 1; c < row.Length; c++)
                if (row[c] > row[best]) best = c;
            if (best == samples[i].Label) right++;
        }
        return (double)right / samples.Count;
    }
}
