namespace Fer.Trainer.Jobs;

/// <summary>What a finished training run hands to the registry.</summary>
/// <param name="Onnx">The exported model.</param>
/// <param name="MetricsJson">Evaluation metrics as a JSON object; it holds at least <c>valMacroF1</c>.</param>
/// <param name="ValidationMacroF1">The best validation macro-F1: what the if-better promotion policy compares.</param>
public sealed record TrainedModel(
    byte[] Onnx,
    string MetricsJson,
    double ValidationMacroF1,
    int ImageSize,
    string DatasetFingerprint,
    string RunDirectory)
{
    /// <summary>The key of the validation macro-F1 in a version's metrics JSON.</summary>
    public const string ValidationMacroF1Key = "valMacroF1";

    /// <summary>The validation macro-F1 recorded in a metrics JSON object, or null when it has none.</summary>
    public static double? ReadValidationMacroF1(string metricsJson)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(metricsJson);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty(ValidationMacroF1Key, out var value)
                && value.TryGetDouble(out var f1)
                ? f1
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
