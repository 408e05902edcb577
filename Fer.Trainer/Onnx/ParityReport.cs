using System.Globalization;
using System.Text;

namespace Fer.Trainer.Onnx;

/// <summary>The parity gate's measurements: one entry per probe image, and the tolerance they were held to.</summary>
public sealed record ParityReport(IReadOnlyList<ImageParity> Images, double Tolerance)
{
    public double MaxLogitsRelativeError => Images.Max(i => i.LogitsRelativeError);

    public double MaxProbabilitiesRelativeError => Images.Max(i => i.ProbabilitiesRelativeError);

    public bool Passed => Images.Count > 0 && Images.All(i =>
        i.LogitsRelativeError <= Tolerance && i.ProbabilitiesRelativeError <= Tolerance);

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"parity {(Passed ? "passed" : "FAILED")}: {Images.Count} probe images, max relative error logits {MaxLogitsRelativeError:E2}, " +
        $"probabilities {MaxProbabilitiesRelativeError:E2} (tolerance {Tolerance:E0})");

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"probe image",-48} {"logits rel",12} {"probs rel",12} {"logits max abs",15}");
        foreach (var image in Images)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{image.Source,-48} {image.LogitsRelativeError,12:E2} {image.ProbabilitiesRelativeError,12:E2} {image.LogitsMaxAbsError,15:E2}");
        return text.ToString();
    }
}
