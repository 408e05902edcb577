using Fer.Contracts.Monitoring;
using Fer.Training.Data;
using Fer.Training.Onnx;

namespace Fer.Training.Monitoring;

/// <summary>Runs an exported model through ONNX Runtime on a split of its data (the validation split a run with
/// <c>validationFraction</c> and <c>seed</c> held out, by default) and builds its monitoring reference; optionally
/// scores the fitted temperature on another split too (<see cref="Check"/>).</summary>
public static class ModelReference
{
    /// <summary>The answers of a model on a split: each face's probabilities, label and pixels.</summary>
    public sealed record Answers(IReadOnlyList<float[]> Probabilities, int[] Labels, IReadOnlyList<float[]> Pixels);

    public static MonitoringReference Compute(byte[] onnx, string dataPath, string split = FaceDataSource.Validation,
        double validationFraction = 0.1, int seed = 42, CancellationToken cancellationToken = default)
    {
        var answers = Run(onnx, dataPath, split, validationFraction, seed, cancellationToken);
        return ReferenceBuilder.Build(split, answers.Probabilities, answers.Labels, answers.Pixels);
    }

    /// <summary>The calibration error of <paramref name="answers"/> before and after the reference's temperature, their
    /// accuracy, their mean calibrated confidence, and the transport estimate with the reference's class shares.</summary>
    public static (double EceBefore, double EceAfter, double Accuracy, double Estimated, double? Transport) Check(Answers answers, MonitoringReference reference)
    {
        var temperature = reference.Temperature;
        var correct = answers.Labels.Where((label, i) => CalibrationError.ArgMax(answers.Probabilities[i]) == label).Count();
        return (CalibrationError.Expected(answers.Probabilities, answers.Labels, 1),
            CalibrationError.Expected(answers.Probabilities, answers.Labels, temperature),
            answers.Labels.Length == 0 ? 0 : (double)correct / answers.Labels.Length,
            answers.Labels.Length == 0 ? 0 : answers.Probabilities.Average(p => Calibration.MaxProbability(p, temperature)),
            answers.Labels.Length == 0 || reference.ClassShares is null ? null
                : TransportEstimate.Accuracy(ReferenceBuilder.CalibratedRows(answers.Probabilities, reference.TransportTemperature ?? temperature), reference.ClassShares));
    }

    public static Answers Run(byte[] onnx, string dataPath, string split, double validationFraction = 0.1, int seed = 42,
        CancellationToken cancellationToken = default)
    {
        using var model = new OnnxRuntimeModel(onnx);
        var data = FaceDataSource.LoadSplit(dataPath, split, 0, cancellationToken, validationFraction, seed);
        var probabilities = new List<float[]>(data.Count);
        foreach (var batch in new BatchLoader(data, 64, seed: 0).Epoch(0, BatchContent.Plain, cancellationToken))
        {
            var outputs = model.Run(batch.Pixels, batch.Count, cancellationToken);
            for (var i = 0; i < outputs.Batch; i++)
                probabilities.Add(outputs.Probabilities.AsSpan(i * outputs.Classes, outputs.Classes).ToArray());
        }
        return new Answers(probabilities, [.. data.Samples.Select(s => s.Label)], [.. data.Samples.Select(s => s.Pixels)]);
    }
}
