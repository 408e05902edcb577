using System.Diagnostics;
using Fer.Faces;
using Fer.Faces.Composites;
using Fer.Faces.Finding;
using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>Runs every detector over the same composite frames (one after another on each frame, so that both see the
/// same load), matches the faces it finds at <paramref name="scoreThreshold"/> to the true squares, crops each framing's
/// square and classifies the crops. The finders may answer lower scores too: those only feed the threshold sweep.</summary>
public sealed class CompositePass(IReadOnlyList<FaceFinder> finders, float scoreThreshold, OnnxRuntimeModel? classifier)
{
    public List<FaceOutcome> Faces { get; } = [];

    public List<FrameOutcome> Frames { get; } = [];

    /// <summary>Per detector, the time <see cref="FaceFinder.Find(Fer.Imaging.GrayImage)"/> took (detect, frame, crop).</summary>
    public TimeSpan[] Elapsed { get; } = new TimeSpan[finders.Count];

    /// <param name="framings">Per detector, the framings whose crops are classified (none: boxes only).</param>
    public void Run(IEnumerable<CompositeFrame> frames, IReadOnlyList<LabelledFace> faces, IReadOnlyList<IReadOnlyList<FittedFraming>> framings)
    {
        foreach (var frame in frames)
        {
            var boxes = new FaceBox?[frame.Faces.Count][];
            for (var f = 0; f < boxes.Length; f++) boxes[f] = new FaceBox?[finders.Count];
            var falseDetections = new int[finders.Count];
            var detections = new IReadOnlyList<FaceBox>[finders.Count];
            for (var d = 0; d < finders.Count; d++)
            {
                var timer = Stopwatch.StartNew();
                var all = finders[d].Find(frame.Image).Faces.Select(face => face.Box!.Value).ToList();
                Elapsed[d] += timer.Elapsed;
                detections[d] = all;
                var found = all.Where(box => box.Score >= scoreThreshold).ToList();
                var matches = FaceMatching.Match(frame.Faces, found);
                for (var f = 0; f < matches.Length; f++)
                    if (matches[f] >= 0) boxes[f][d] = found[matches[f]];
                falseDetections[d] = found.Count - matches.Count(m => m >= 0);
            }
            Frames.Add(new FrameOutcome(frame.Background, frame.Faces, detections, falseDetections));
            Classify(frame, faces, boxes, framings);
        }
    }

    /// <summary>Every crop of the frame in one batch: each face's tight crop and true square, then each detector's framings.</summary>
    private void Classify(CompositeFrame frame, IReadOnlyList<LabelledFace> faces, FaceBox?[][] boxes, IReadOnlyList<IReadOnlyList<FittedFraming>> framings)
    {
        var crops = new List<float[]>();
        var slots = new List<(int Face, int Detector, int Framing)>();
        for (var f = 0; f < frame.Faces.Count; f++)
        {
            var placed = frame.Faces[f];
            crops.Add(faces[placed.Face].Crop.CropSquare(0, 0, faces[placed.Face].Crop.Width).Pixels);
            slots.Add((f, -1, 0));
            crops.Add(frame.Image.CropSquare(placed.Left, placed.Top, placed.Side).Pixels);
            slots.Add((f, -1, 1));
            for (var d = 0; d < finders.Count; d++)
            {
                if (boxes[f][d] is not { } box) continue;
                for (var k = 0; k < framings[d].Count; k++)
                {
                    var (left, top, side) = framings[d][k].Square(box);
                    crops.Add(frame.Image.CropSquare(left, top, side).Pixels);
                    slots.Add((f, d, k));
                }
            }
        }

        var answers = classifier is null ? null : Predict(classifier, crops);
        var outcomes = new (int Tight, int TrueSquare, int[][] Predictions)[frame.Faces.Count];
        for (var f = 0; f < outcomes.Length; f++)
            outcomes[f] = (-1, -1, Enumerable.Range(0, finders.Count).Select(d => Enumerable.Repeat(-1, framings[d].Count).ToArray()).ToArray());
        for (var i = 0; answers is not null && i < slots.Count; i++)
        {
            var (face, detector, framing) = slots[i];
            if (detector >= 0) outcomes[face].Predictions[detector][framing] = answers[i];
            else if (framing == 0) outcomes[face].Tight = answers[i];
            else outcomes[face].TrueSquare = answers[i];
        }
        for (var f = 0; f < outcomes.Length; f++)
        {
            var placed = frame.Faces[f];
            Faces.Add(new FaceOutcome(faces[placed.Face].Label, placed.Square, (double)placed.Side / frame.Image.Width,
                outcomes[f].Tight, outcomes[f].TrueSquare, boxes[f], outcomes[f].Predictions));
        }
    }

    private static int[] Predict(OnnxRuntimeModel classifier, List<float[]> crops)
    {
        var outputs = classifier.Run(crops.SelectMany(c => c).ToArray(), crops.Count);
        var answers = new int[crops.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var row = outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes);
            for (var c = 1; c < row.Length; c++)
                if (row[c] > row[answers[i]]) answers[i] = c;
        }
        return answers;
    }
}
