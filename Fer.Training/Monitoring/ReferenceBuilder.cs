using Fer.Contracts;
using Fer.Contracts.Monitoring;

namespace Fer.Training.Monitoring;

/// <summary>Builds a version's <see cref="MonitoringReference"/> from its answers on labelled crops: the histograms,
/// the fitted temperature, the calibration error before and after it, the accuracy, and what the transport estimate
/// needs (the label shares and its own temperature).</summary>
public static class ReferenceBuilder
{
    /// <summary>Bins of each continuous statistic: deciles of the reference.</summary>
    public const int Bins = 10;

    /// <param name="pixels">Each face's 48x48 crop, as the model saw it (taken whole: no detector).</param>
    public static MonitoringReference Build(string split, IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, IReadOnlyList<float[]> pixels)
    {
        if (probabilities.Count != labels.Count || pixels.Count != labels.Count)
            throw new ArgumentException("probabilities, labels and pixels must describe the same faces");
        if (labels.Any(l => (uint)l >= EmotionLabels.Count))
            throw new ArgumentException($"labels must be class indices below {EmotionLabels.Count}");
        var classes = new long[EmotionLabels.Count];
        var confidences = new double[labels.Count];
        var statistics = new FaceStatistics[labels.Count];
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = CalibrationError.ArgMax(probabilities[i]);
            classes[predicted]++;
            confidences[i] = probabilities[i][predicted];
            statistics[i] = FaceStatistics.Of(pixels[i]);
            if (predicted == labels[i]) correct++;
        }
        var temperature = TemperatureFit.Fit(probabilities, labels);
        var calibrated = probabilities.Select(p => Calibration.MaxProbability(p, temperature)).OrderDescending().ToArray();
        var shares = new double[EmotionLabels.Count];
        foreach (var label in labels) shares[label] += 1.0 / labels.Count;
        var transportTemperature = Math.Round(TransportFit.Fit(probabilities, labels, shares), 4);
        return new MonitoringReference
        {
            Split = split,
            Count = labels.Count,
            Classes = classes,
            Confidence = ReferenceHistogram.OfQuantiles(confidences, Bins),
            Brightness = ReferenceHistogram.OfQuantiles([.. statistics.Select(s => s.Brightness)], Bins),
            Contrast = ReferenceHistogram.OfQuantiles([.. statistics.Select(s => s.Contrast)], Bins),
            Sharpness = ReferenceHistogram.OfQuantiles([.. statistics.Select(s => s.Sharpness)], Bins),
            TakenWhole = 1,
            Temperature = Math.Round(temperature, 4),
            EceBefore = CalibrationError.Expected(probabilities, labels, 1),
            EceAfter = CalibrationError.Expected(probabilities, labels, temperature),
            Accuracy = labels.Count == 0 ? 0 : (double)correct / labels.Count,
            EstimatedAccuracy = labels.Count == 0 ? 0 : calibrated.Average(),
            ConfidenceThreshold = correct < calibrated.Length ? calibrated[correct] : 0,
            ClassShares = labels.Count == 0 ? null : [.. shares.Select(s => Math.Round(s, 6))],
            TransportTemperature = transportTemperature,
            TransportAccuracy = labels.Count == 0 ? null : TransportEstimate.Accuracy(CalibratedRows(probabilities, transportTemperature), shares),
        };
    }

    /// <summary>Each face's calibrated probabilities, back to back.</summary>
    public static float[] CalibratedRows(IReadOnlyList<float[]> probabilities, double temperature)
    {
        var rows = new float[probabilities.Count * EmotionLabels.Count];
        for (var i = 0; i < probabilities.Count; i++)
            Calibration.Probabilities(probabilities[i], temperature, rows.AsSpan(i * EmotionLabels.Count, EmotionLabels.Count));
        return rows;
    }
}
