using Fer.Contracts.Monitoring;

namespace Fer.Inference.Monitoring;

/// <summary>What one answered face contributes to its version's window: its predicted class, the probability of it, its
/// calibrated confidence and its probabilities at the transport temperature (for <see cref="TransportEstimate"/>), its
/// input statistics, and where it came from a detector, its size in the photo (its side over the photo's shorter side)
/// and the detector's score. Nothing of the image itself.</summary>
public readonly record struct FaceObservation(int Class, double Confidence, double CalibratedConfidence, FaceStatistics Statistics,
    double? FaceSize, double? DetectorScore, float[] CalibratedProbabilities)
{
    /// <param name="probabilities">The model's probabilities for the face.</param>
    /// <param name="pixels">The 48x48 crop the model saw.</param>
    /// <param name="detected">The face's box side and score and the photo's shorter side, when a detector found it.</param>
    /// <param name="reference">The version's reference: its temperatures calibrate the confidence and the probabilities.</param>
    public static FaceObservation Of(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> pixels, MonitoringReference reference,
        (double Side, double Score, double PhotoSide)? detected = null)
    {
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++)
            if (probabilities[c] > probabilities[best]) best = c;
        var calibrated = new float[probabilities.Length];
        Calibration.Probabilities(probabilities, reference.TransportTemperature ?? reference.Temperature, calibrated);
        return new FaceObservation(best, probabilities[best], Calibration.MaxProbability(probabilities, reference.Temperature), FaceStatistics.Of(pixels),
            detected is { } d && d.PhotoSide > 0 ? d.Side / d.PhotoSide : null, detected?.Score, calibrated);
    }
}
