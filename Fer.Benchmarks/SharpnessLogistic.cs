using Fer.Contracts.Monitoring;
using Fer.Training.Monitoring;
using MathNet.Numerics.LinearAlgebra;

namespace Fer.Benchmarks;

/// <summary>
/// A calibrator measured as an alternative (not used by replicas): the chance a face is answered right, by logistic
/// regression on validation of its calibrated confidence's logit and the log of its sharpness (validation's blurrier faces
/// are answered worse); the estimate is the mean chance. Fitted by Newton's method (three weights, a few thousand faces;
/// MathNet.Numerics solves each step).
/// </summary>
public sealed class SharpnessLogistic
{
    private const int Steps = 30;
    private readonly double temperature;
    private readonly double[] weights;

    private SharpnessLogistic(double temperature, double[] weights) => (this.temperature, this.weights) = (temperature, weights);

    public IReadOnlyList<double> Weights => weights;

    public static SharpnessLogistic Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, IReadOnlyList<double> sharpness, double temperature)
    {
        var model = new SharpnessLogistic(temperature, new double[3]);
        var features = probabilities.Select((p, i) => model.Features(p, sharpness[i])).ToArray();
        var right = labels.Select((label, i) => CalibrationError.ArgMax(probabilities[i]) == label ? 1.0 : 0.0).ToArray();
        for (var step = 0; step < Steps; step++)
        {
            var gradient = new double[3];
            var hessian = new double[3, 3];
            for (var i = 0; i < features.Length; i++)
            {
                var chance = model.Chance(features[i]);
                for (var a = 0; a < 3; a++)
                {
                    gradient[a] += (right[i] - chance) * features[i][a];
                    for (var b = 0; b < 3; b++) hessian[a, b] += chance * (1 - chance) * features[i][a] * features[i][b];
                }
            }
            var move = Matrix<double>.Build.DenseOfArray(hessian).Solve(Vector<double>.Build.DenseOfArray(gradient));
            for (var a = 0; a < 3; a++) model.weights[a] += move[a];
        }
        return model;
    }

    public double Estimate(IReadOnlyList<float[]> probabilities, IReadOnlyList<double> sharpness) =>
        probabilities.Select((p, i) => Chance(Features(p, sharpness[i]))).Average();

    private double[] Features(float[] probabilities, double sharpness)
    {
        var confidence = Math.Clamp(Calibration.MaxProbability(probabilities, temperature), 1e-4, 1 - 1e-4);
        return [1, Math.Log(confidence / (1 - confidence)), Math.Log(sharpness + 1e-3)];
    }

    private double Chance(double[] features) => 1 / (1 + Math.Exp(-features.Zip(weights, (f, w) => f * w).Sum()));
}
