using System.Diagnostics;
using Fer.Faces;
using Fer.Faces.Composites;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Training.Data;
using Fer.Training.Evaluation;
using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>
/// Measures face detection and framing on composite frames of FER2013 faces (docs/faces.md): fits each framing shape to
/// each detector on frames of training faces, selects the shape on frames of validation faces, then reports once on frames
/// of test faces: recall, IoU of the framed squares with the true ones, and the shipped classifier's accuracy on the framed
/// crops against the same faces' tight crops.
/// </summary>
public static class FacesFitBenchmark
{
    /// <summary>A shape replaces the shipped mean-side shape only if its validation mean IoU is higher by more than this.</summary>
    private const double ClearlyBetter = 0.005;

    private static readonly FramingShape[] Shapes = Enum.GetValues<FramingShape>();

    /// <summary>The detector scores whose recall and false detections are reported (the product's is 0.7).</summary>
    private static readonly double[] ScaleMultipliers = [0.9, 0.95, 1.0, 1.05, 1.1, 1.2];

    private static readonly float[] SweepThresholds = [0.3f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];

    public static int Run(FacesFitOptions options, TextWriter output)
    {
        var root = RepositoryRoot();
        var data = options.Data ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "fer2013"));
        var model = options.Model ?? Path.Combine(root, "Fer.Trainer", "BundledModel", "model.onnx");
        output.WriteLine($"faces-fit: {options.Frames} frames a split, seed {options.Seed}; FER2013 from {data}; classifier {model}");

        var timer = Stopwatch.StartNew();
        var splits = FaceDataSource.Load(data, 0.1, 42);
        var test = splits.Test ?? throw new DirectoryNotFoundException($"{data} has no test/ folder");
        var (trainFaces, validationFaces, testFaces) = (CompositeFaces.From(splits.Train), CompositeFaces.From(splits.Validation), CompositeFaces.From(test));
        output.WriteLine($"faces: train {trainFaces.Count}, validation {validationFaces.Count} ({splits.ValidationOrigin}, the shipped model's), test {testFaces.Count}; read in {timer.Elapsed.TotalSeconds:F0} s");

        using var classifier = new OnnxRuntimeModel(File.ReadAllBytes(model), intraOpThreads: 1);
        var detectors = DetectorFiles(root).Select(file => new UltraFaceDetector(file)).ToList();
        try
        {
            // The product's rules, except that the finders answer scores down to the sweep's lowest threshold; the pass keeps
            // the product's threshold for everything else (suppression keeps the same boxes above any threshold).
            var finding = new FaceFinderOptions();
            var sweeping = new FaceFinderOptions { ScoreThreshold = SweepThresholds[0], OverlapThreshold = finding.OverlapThreshold, MinFaceSize = finding.MinFaceSize, MaxFaces = 64 };
            var finders = detectors.Select(d => new FaceFinder(d, FittedFraming.Unfitted.AsFaceFraming(), sweeping)).ToList();
            var names = detectors.Select(d => $"{d.Name} ({d.InputWidth}x{d.InputHeight})").ToArray();
            output.WriteLine($"detectors: {string.Join(", ", names)}; score >= {finding.ScoreThreshold}, overlap IoU {finding.OverlapThreshold}, faces >= {finding.MinFaceSize} px");

            // Train: boxes only, to fit every shape for every detector.
            var train = Pass(finders, finding.ScoreThreshold, null, trainFaces, options.Seed, options.Frames, finders.Select(_ => (IReadOnlyList<FittedFraming>)[]).ToList(), "train", output);
            var fits = detectors.Select((_, d) => Shapes.Select(shape => FramingFit.Fit(shape, Pairs(train, d))).ToArray()).ToArray();

            // Validation: every fitted shape's crops, the two unfitted squares for comparison.
            // Validation: every fitted shape's crops, the two unfitted squares for comparison, and the mean-side fit with its
            // scale multiplied (how the classifier's accuracy follows the crop's size around the fit).
            var meanSide = Array.IndexOf(Shapes, FramingShape.MeanSide);
            var validationFramings = fits.Select(f => (IReadOnlyList<FittedFraming>)[FittedFraming.LongerSideSquared, FittedFraming.Unfitted, .. f,
                .. ScaleMultipliers.Select(m => f[meanSide] with { Parameters = [f[meanSide].Parameters[0], f[meanSide].Parameters[1], m * f[meanSide].Parameters[2]] })]).ToList();
            var validation = Pass(finders, finding.ScoreThreshold, classifier, validationFaces, options.Seed + 1, options.Frames, validationFramings, "validation", output);
            output.WriteLine();
            output.WriteLine("| detector | shape | fitted (shift x, shift y, scale...) | train mean IoU | validation mean IoU | validation median IoU | validation accuracy, detected faces |");
            output.WriteLine("|---|---|---|---|---|---|---|");
            var chosen = new FittedFraming[detectors.Count];
            for (var d = 0; d < detectors.Count; d++)
            {
                var scores = new double[Shapes.Length];
                for (var s = 0; s < Shapes.Length; s++)
                {
                    var ious = Ious(validation, d, fits[d][s]);
                    scores[s] = ious.Average();
                    output.WriteLine($"| {names[d]} | {Shapes[s]} | {fits[d][s]} | {FramingFit.MeanIoU(fits[d][s], Pairs(train, d)):F4} | {scores[s]:F4} | {Median(ious):F4} | {Percent(Accuracy(validation, d, 2 + s))} |");
                }
                var best = Array.IndexOf(scores, scores.Max());
                chosen[d] = fits[d][scores[best] > scores[meanSide] + ClearlyBetter ? best : meanSide];
            }
            output.WriteLine();
            output.WriteLine($"chosen on validation (the mean-side shape unless another's mean IoU is higher by more than {ClearlyBetter}): " +
                string.Join("; ", chosen.Select((c, d) => $"{names[d]}: {c}")));
            Summary(validation, names, validationFramings, chosen.Select(c => 2 + Array.IndexOf(Shapes, c.Shape)).ToArray(), "validation", output);

            output.WriteLine();
            output.WriteLine("validation, accuracy on the detected faces' crops with the mean-side fit's scale multiplied:");
            output.WriteLine();
            output.WriteLine($"| detector | {string.Join(" | ", ScaleMultipliers.Select(m => $"x {m:F2}"))} |");
            output.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", ScaleMultipliers.Length))}");
            for (var d = 0; d < detectors.Count; d++)
                output.WriteLine($"| {names[d]} | {string.Join(" | ", ScaleMultipliers.Select((_, m) => Percent(Accuracy(validation, d, 2 + Shapes.Length + m))))} |");
            Sweep(validation, names, "validation", output);
            Errors(validation, names, chosen, "validation", output);

            // Test, once: the chosen framing against the two unfitted squares.
            var testFramings = chosen.Select(c => (IReadOnlyList<FittedFraming>)[FittedFraming.LongerSideSquared, FittedFraming.Unfitted, c]).ToList();
            var testPass = Pass(finders, finding.ScoreThreshold, classifier, testFaces, options.Seed + 2, options.Frames, testFramings, "test", output);
            Summary(testPass, names, testFramings, testFramings.Select(_ => 2).ToArray(), "test", output);
            Breakdown(testPass, names, output);
            Sweep(testPass, names, "test", output);
            output.WriteLine($"total {timer.Elapsed.TotalMinutes:F1} min");
        }
        finally
        {
            foreach (var detector in detectors) detector.Dispose();
        }
        return 0;
    }

    private static CompositePass Pass(IReadOnlyList<FaceFinder> finders, float scoreThreshold, OnnxRuntimeModel? classifier, IReadOnlyList<LabelledFace> faces,
        int seed, int frames, IReadOnlyList<IReadOnlyList<FittedFraming>> framings, string split, TextWriter output)
    {
        var timer = Stopwatch.StartNew();
        var pass = new CompositePass(finders, scoreThreshold, classifier);
        pass.Run(new CompositeFrameGenerator(faces).Frames(seed).Take(frames), faces, framings);
        output.WriteLine($"{split}: {pass.Frames.Count} frames (seed {seed}), {pass.Faces.Count} faces placed, {timer.Elapsed.TotalSeconds:F0} s");
        return pass;
    }

    /// <summary>The table of one split: per detector, recall, false detections, IoU and accuracy of each framing.</summary>
    private static void Summary(CompositePass pass, string[] names, IReadOnlyList<IReadOnlyList<FittedFraming>> framings, int[] fitted,
        string split, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{split}: {pass.Frames.Count} frames, {pass.Faces.Count} faces; accuracy of the shipped classifier on all faces' tight crops {Percent(Share(pass.Faces, f => f.Tight == f.Label))}, on their true squares cut from the frames {Percent(Share(pass.Faces, f => f.TrueSquare == f.Label))}");
        output.WriteLine();
        output.WriteLine("| detector | recall | false detections / frame | IoU: longer side squared (mean / median) | unfitted mean side | fitted | accuracy, detected faces: tight | true square | longer side squared | fitted | fitted, all faces (missed = wrong) | ms / frame |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var d = 0; d < names.Length; d++)
        {
            var detected = pass.Faces.Where(f => f.Boxes[d] is not null).ToList();
            var iou = (FittedFraming framing) => { var values = Ious(pass, d, framing); return $"{values.Average():F3} / {Median(values):F3}"; };
            output.WriteLine($"| {names[d]} | {Percent((double)detected.Count / pass.Faces.Count)} | {pass.Frames.Average(f => f.FalseDetections[d]):F3} | " +
                $"{iou(framings[d][0])} | {iou(framings[d][1])} | {iou(framings[d][fitted[d]])} | " +
                $"{Percent(Share(detected, f => f.Tight == f.Label))} | {Percent(Share(detected, f => f.TrueSquare == f.Label))} | " +
                $"{Percent(Accuracy(pass, d, 0))} | {Percent(Accuracy(pass, d, fitted[d]))} | " +
                $"{Percent(Share(pass.Faces, f => f.Predictions[d][fitted[d]] == f.Label))} | {pass.Elapsed[d].TotalMilliseconds / pass.Frames.Count:F1} |");
        }
    }

    /// <summary>Recall by the face's width as a share of the frame's, and false detections by background.</summary>
    private static void Breakdown(CompositePass pass, string[] names, TextWriter output)
    {
        (double From, double To, string Name)[] bands = [(0, 0.12, "< 12 %"), (0.12, 0.2, "12-20 %"), (0.2, 1.01, ">= 20 %")];
        output.WriteLine();
        output.WriteLine($"| detector | {string.Join(" | ", bands.Select(b => $"recall, face {b.Name} of the frame's width"))} | {string.Join(" | ", Enum.GetNames<CompositeBackground>().Select(b => $"false / frame, {b}"))} |");
        output.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", bands.Length + Enum.GetValues<CompositeBackground>().Length))}");
        for (var d = 0; d < names.Length; d++)
        {
            var recall = bands.Select(b =>
            {
                var band = pass.Faces.Where(f => f.WidthShare >= b.From && f.WidthShare < b.To).ToList();
                return $"{Percent(Share(band, f => f.Boxes[d] is not null))} of {band.Count}";
            });
            var falses = Enum.GetValues<CompositeBackground>().Select(background =>
            {
                var frames = pass.Frames.Where(f => f.Background == background).ToList();
                return frames.Count == 0 ? "-" : $"{frames.Average(f => f.FalseDetections[d]):F3}";
            });
            output.WriteLine($"| {names[d]} | {string.Join(" | ", recall)} | {string.Join(" | ", falses)} |");
        }
    }

    /// <summary>How far the chosen framing's squares are from the true ones, in the true side: what crop jitter in training
    /// would have to match.</summary>
    private static void Errors(CompositePass pass, string[] names, FittedFraming[] framings, string split, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{split}, the chosen framing's error against the true square (standard deviations; shift in true sides, scale as ln(framed / true)):");
        for (var d = 0; d < names.Length; d++)
        {
            var errors = Pairs(pass, d).Select(pair =>
            {
                var (left, top, side) = framings[d].Square(pair.Box);
                var truth = pair.Truth;
                return (X: (left + side / 2.0 - truth.CentreX) / truth.Width, Y: (top + side / 2.0 - truth.CentreY) / truth.Width, Scale: Math.Log(side / truth.Width));
            }).ToList();
            output.WriteLine($"- {names[d]}: shift x {Deviation(errors.Select(e => e.X)):F3} (mean {errors.Average(e => e.X):F3}), " +
                $"shift y {Deviation(errors.Select(e => e.Y)):F3} (mean {errors.Average(e => e.Y):F3}), scale {Deviation(errors.Select(e => e.Scale)):F3} (mean {errors.Average(e => e.Scale):F3})");
        }
    }

    private static double Deviation(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
    }

    /// <summary>Recall and false detections a frame at each score threshold of the sweep.</summary>
    private static void Sweep(CompositePass pass, string[] names, string split, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{split}, by the detector's score threshold: recall / false detections a frame");
        output.WriteLine();
        output.WriteLine($"| detector | {string.Join(" | ", SweepThresholds.Select(t => $">= {t:F1}"))} |");
        output.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", SweepThresholds.Length))}");
        for (var d = 0; d < names.Length; d++)
        {
            var cells = SweepThresholds.Select(threshold =>
            {
                int found = 0, falses = 0;
                foreach (var frame in pass.Frames)
                {
                    var kept = frame.Detections[d].Where(box => box.Score >= threshold).ToList();
                    var matched = FaceMatching.Match(frame.Faces, kept).Count(m => m >= 0);
                    (found, falses) = (found + matched, falses + kept.Count - matched);
                }
                return $"{Percent((double)found / pass.Faces.Count)} / {(double)falses / pass.Frames.Count:F3}";
            });
            output.WriteLine($"| {names[d]} | {string.Join(" | ", cells)} |");
        }
    }

    private static List<FacePair> Pairs(CompositePass pass, int detector) =>
        pass.Faces.Where(f => f.Boxes[detector] is not null).Select(f => new FacePair(f.Boxes[detector]!.Value, f.Truth)).ToList();

    /// <summary>The IoU of each detected face's framed square, in whole pixels as the product crops it, with its true square.</summary>
    private static List<double> Ious(CompositePass pass, int detector, FittedFraming framing) => Pairs(pass, detector).Select(pair =>
    {
        var (left, top, side) = framing.Square(pair.Box);
        return (double)new FaceBox(left, top, left + side, top + side, 1).IoU(pair.Truth);
    }).ToList();

    /// <summary>The share of the detector's faces classified right on framing <paramref name="framing"/>'s crops.</summary>
    private static double Accuracy(CompositePass pass, int detector, int framing) =>
        Share(pass.Faces.Where(f => f.Boxes[detector] is not null).ToList(), f => f.Predictions[detector][framing] == f.Label);

    private static double Share(IReadOnlyList<FaceOutcome> faces, Func<FaceOutcome, bool> predicate) =>
        faces.Count == 0 ? double.NaN : (double)faces.Count(predicate) / faces.Count;

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Percent(double share) => double.IsNaN(share) ? "-" : $"{100 * share:F1} %";

    /// <summary>RFB-320 from ../shared/models/ultraface and the shipped RFB-640 (bundled in the build output).</summary>
    private static FaceDetectorFile[] DetectorFiles(string root) =>
    [
        new(Path.GetFullPath(Path.Combine(root, "..", "shared", "models", "ultraface", "version-RFB-320.onnx")),
            "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017"),
        FaceDetectorFile.Bundled,
    ];

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Fer.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no Fer.sln above {AppContext.BaseDirectory}");
    }
}
