using System.Globalization;
using System.Text;

namespace Fer.Training.Onnx;

/// <summary>The parity gate's measurements: one entry per probe image, and the tolerance they were held to.</summary>
public sealed record ParityReport(IReadOnlyList<ImageParity> Images, double Tolerance)
{
    public double MaxLogitsRelativeError => Images.Max(i => i.LogitsRelativeError);

    public double MaxProbabilitiesRelativeError => Images.Max(i => i.ProbabilitiesRelativeError);

    public bool Passed => Images.Count > 0 && Images.All(Accepts);

    public bool Accepts(ImageParity image) => image.LogitsRelativeError <= Tolerance && image.ProbabilitiesRelativeError <= Tolerance;

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"parity {(Passed ? "passed" : "FAILED")}: {Images.Count} probe images, max relative error logits {MaxLogitsRelativeError:E2}, " +
        $"probabilities {MaxProbabilitiesRelativeError:E2} (tolerance {Tolerance:E0})");

    /// <summary>Why it failed, when the float64 reference tells: the model's conditioning or the export.</summary>
    public string? Diagnosis()
    {
        var failed = Images.Where(i => !Accepts(i)).ToList();
        if (failed.Count == 0 || failed.Any(i => i.TorchVsFloat64 is null)) return null;
        var worstFloor = failed.Max(i => i.TorchVsFloat64!.Value);
        return failed.All(i => i.IsIllConditioned(Tolerance))
            ? string.Create(CultureInfo.InvariantCulture,
                $"on every failing image TorchSharp's own float32 logits are up to {worstFloor:E2} from a float64 evaluation of the same model: " +
                $"the model is ill-conditioned there (random or badly scaled weights?), so no float32 runtime can agree to the tolerance")
            : "on at least one failing image TorchSharp's float32 result is close to float64 but ONNX Runtime's is not: the export computes something else";
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"probe image",-40} {"logits rel",11} {"probs rel",11} {"logits abs",11} {"torch~f64",11} {"onnx~f64",11}");
        foreach (var image in Images)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{image.Source,-40} {image.LogitsRelativeError,11:E2} {image.ProbabilitiesRelativeError,11:E2} {image.LogitsMaxAbsError,11:E2} " +
                $"{Format(image.TorchVsFloat64),11} {Format(image.OnnxVsFloat64),11}{(Accepts(image) ? "" : "  <- over tolerance")}");
        return text.ToString();
    }

    private static string Format(double? value) => value?.ToString("E2", CultureInfo.InvariantCulture) ?? "-";
}
