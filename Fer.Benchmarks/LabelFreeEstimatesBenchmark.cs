using System.Diagnostics;
using System.Globalization;
using Fer.Contracts.Monitoring;
using Fer.Training.Data;
using Fer.Training.Monitoring;
using Fer.Training.Onnx;

namespace Fer.Benchmarks;

/// <summary>
/// How far each label-free accuracy estimate is from the measured accuracy on FER2013's test faces, clean, under the
/// tested shifts (<see cref="FaceShift"/>) and under shifts nothing was tuned on (<see cref="UntestedShifts"/>): the
/// shipped ones (transport, mean calibrated confidence, thresholded) and the alternatives measured against them. Every
/// estimate is fitted on the validation split only (10 % of train, seed 42), as the trainer fits the reference. Also
/// times the transport solve over 1,000 faces against the model answering them. Results: docs/monitoring.md.
/// </summary>
public static class LabelFreeEstimatesBenchmark
{
    private const int Batch = 64;

    public static int Run(LabelFreeEstimatesOptions options, TextWriter output)
    {
        var root = FacesFitBenchmark.RepositoryRoot();
        var modelPath = options.Model ?? Path.Combine(root, "Fer.Trainer", "BundledModel", "model.onnx");
        var data = options.Data ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "fer2013"));
        using var model = new OnnxRuntimeModel(File.ReadAllBytes(modelPath));
        using var second = options.SecondModel is null ? null : new OnnxRuntimeModel(File.ReadAllBytes(options.SecondModel));

        var validation = FaceDataSource.LoadSplit(data, FaceDataSource.Validation, options.MaxPerClass);
        var test = FaceDataSource.LoadSplit(data, FaceDataSource.Test, options.MaxPerClass);
        var validationPixels = validation.Samples.Select(s => s.Pixels).ToList();
        var validationLabels = validation.Samples.Select(s => s.Label).ToArray();
        var validationAnswers = Answer(model, validationPixels);
        var reference = ReferenceBuilder.Build(FaceDataSource.Validation, validationAnswers, validationLabels, validationPixels);
        var shares = reference.ClassShares!;
        var validationSharpness = Sharpness(validationPixels);
        var stratified = StratifiedTemperatures.Fit(validationAnswers, validationLabels, validationSharpness, shares);
        var logistic = SharpnessLogistic.Fit(validationAnswers, validationLabels, validationSharpness, reference.Temperature);
        var twoModels = second is null ? null
            : TwoModelEstimates.Fit(validationAnswers, Answer(second, validationPixels), validationLabels, shares);

        output.WriteLine($"label-free accuracy estimates of {modelPath}{(second is null ? "" : $" (second model {options.SecondModel})")}");
        output.WriteLine($"fitted on {validation.Count:N0} validation faces (accuracy {reference.Accuracy:F4}, temperature {reference.Temperature:F3}, " +
            $"transport temperature {reference.TransportTemperature:F3}, sharpness-stratified temperatures {string.Join(" ", stratified.Temperatures.Select(t => t.ToString("F2")))}, " +
            $"logistic weights (1, confidence logit, log sharpness) {string.Join(" ", logistic.Weights.Select(w => w.ToString("F3")))}" +
            $"{(twoModels is null ? "" : $", ensemble transport temperature {twoModels.EnsembleTemperature:F3}")}); " +
            $"checked on {test.Count:N0} test faces; each cell is the estimate minus the measured accuracy");
        output.WriteLine($"| shift | accuracy | transport (shipped) | mean calibrated confidence | thresholded | sharpness-stratified transport | confidence and sharpness logistic |{(twoModels is null ? "" : " two-model ensemble transport | disagreement ratio |")}");
        output.WriteLine($"|---|---|---|---|---|---|---|{(twoModels is null ? "" : "---|---|")}");

        var labels = test.Samples.Select(s => s.Label).ToArray();
        var gray = test.Samples.Select(s => s.Pixels.Select(p => (byte)Math.Round(p * 255)).ToArray()).ToList();
        void Row(string name, List<float[]> pixels)
        {
            var answers = Answer(model, pixels);
            var sharpness = Sharpness(pixels);
            var accuracy = labels.Where((label, i) => CalibrationError.ArgMax(answers[i]) == label).Count() / (double)labels.Length;
            var estimates = new List<double>
            {
                TransportEstimate.Accuracy(ReferenceBuilder.CalibratedRows(answers, reference.TransportTemperature!.Value), shares),
                answers.Average(p => Calibration.MaxProbability(p, reference.Temperature)),
                answers.Count(p => Calibration.MaxProbability(p, reference.Temperature) > reference.ConfidenceThreshold) / (double)answers.Count,
                stratified.Estimate(answers, sharpness, shares),
                logistic.Estimate(answers, sharpness),
            };
            if (second is not null && twoModels is not null)
            {
                var other = Answer(second, pixels);
                estimates.Add(twoModels.EnsembleTransport(answers, other, shares));
                estimates.Add(twoModels.DisagreementRatio(answers, other));
            }
            output.WriteLine($"| {name} | {accuracy:F4} | {string.Join(" | ", estimates.Select(e => Signed(e - accuracy)))} |");
        }
        foreach (var shift in Enum.GetValues<FaceShift>())
            Row(shift.ToString().ToLowerInvariant(), [.. gray.Select(g => Pixels(FaceShifts.Apply(g, shift)))]);
        foreach (var shift in UntestedShifts.All)
            Row($"{shift.Name} (untested)", [.. gray.Select((g, i) => Pixels(shift.Apply(g, i)))]);

        TimeTransport(model, test.Samples.Take(1000).Select(s => s.Pixels).ToList(), reference, output);
        return 0;
    }

    /// <summary>The transport solve over (up to) 1,000 faces against the model answering the same faces in batches of 64,
    /// medians of several runs each.</summary>
    private static void TimeTransport(OnnxRuntimeModel model, List<float[]> pixels, MonitoringReference reference, TextWriter output)
    {
        var rows = ReferenceBuilder.CalibratedRows(Answer(model, pixels), reference.TransportTemperature!.Value);
        var solve = Median(15, () => TransportEstimate.Accuracy(rows, reference.ClassShares));
        var answer = Median(5, () => Answer(model, pixels));
        output.WriteLine($"transport solve over {pixels.Count:N0} faces: {solve:F1} ms (median of 15); the model answering them: " +
            $"{answer:F1} ms (median of 5, batches of {Batch}); solve / answer {solve / answer:F3}");
    }

    private static double Median(int runs, Action action)
    {
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[r] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    private static List<float[]> Answer(OnnxRuntimeModel model, List<float[]> pixels) => model.Probabilities(pixels, Batch);

    private static float[] Pixels(byte[] gray) => [.. gray.Select(g => g / 255f)];

    private static double[] Sharpness(List<float[]> pixels) => [.. pixels.Select(p => FaceStatistics.Of(p).Sharpness)];

    /// <summary>An error with its sign, to three places: one that rounds to zero reads +0.000 (a custom format's
    /// negative section would write "-+0.000").</summary>
    private static string Signed(double error)
    {
        var rounded = Math.Round(error, 3);
        return (rounded == 0 ? 0 : rounded).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
    }
}
