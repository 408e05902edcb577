using System.Globalization;
using System.Text.Json;
using Fer.Registry.Model;

namespace Fer.AppHost.Registry;

/// <summary>The registry resource's state text: "production v0007 · macro-F1 0.61".</summary>
public static class ProductionSummary
{
    public const string NoProduction = "no production version";

    public static string Describe(ModelVersionInfo? production)
    {
        if (production is null) return NoProduction;
        var f1 = ReadMacroF1(production.MetricsJson);
        return f1 is null
            ? $"production {production.Version}"
            : $"production {production.Version} · macro-F1 {f1.Value.ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    private static double? ReadMacroF1(string metricsJson)
    {
        try
        {
            using var metrics = JsonDocument.Parse(metricsJson);
            return metrics.RootElement.ValueKind == JsonValueKind.Object
                && metrics.RootElement.TryGetProperty("valMacroF1", out var f1) && f1.ValueKind == JsonValueKind.Number
                ? f1.GetDouble() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
