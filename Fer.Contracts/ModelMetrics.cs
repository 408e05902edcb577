using System.Text.Json;
using System.Text.Json.Serialization;
using Fer.Contracts.Monitoring;

namespace Fer.Contracts;

/// <summary>
/// A model's metrics document (camelCase JSON): the run's <c>metrics.json</c>, the registry version's metrics, the
/// finished job's result and what the pages draw. The evaluation part (headline numbers, per-class table, confusion
/// matrix, ROC AUC) is always there; the training part (best validation epoch, history, time) only after a training run.
/// </summary>
public sealed record ModelMetrics
{
    /// <summary>The key of <see cref="ValMacroF1"/> in the JSON: what the if-better promotion policy compares.</summary>
    public const string ValidationMacroF1Key = "valMacroF1";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        // A loss before the first batch, or a ROC AUC of a split without negatives, can be NaN.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The model family (<see cref="ModelFamilies"/>); null when the document predates families or the
    /// evaluated file does not say.</summary>
    public string? Family { get; init; }

    /// <summary>What was evaluated (a checkpoint or an ONNX file) and on which data.</summary>
    public string? Model { get; init; }

    public string? Data { get; init; }
    public string? EvaluationSplit { get; init; }
    public int EvaluationCount { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    public double Accuracy { get; init; }
    public double MacroF1 { get; init; }
    public double WeightedF1 { get; init; }

    /// <summary>Macro one-vs-rest ROC AUC; null when some class has no positives or negatives in the split.</summary>
    public double? MacroRocAuc { get; init; }

    /// <summary>The classes in output order: the order of <see cref="Classes"/> and of both axes of the matrix.</summary>
    public IReadOnlyList<string> Labels { get; init; } = EmotionLabels.Names;

    public IReadOnlyList<ClassMetrics> Classes { get; init; } = [];

    /// <summary>Rows: true class, columns: predicted class, in the order of <see cref="Labels"/>.</summary>
    public int[][] ConfusionMatrix { get; init; } = [];

    /// <summary>The best validation epoch's macro-F1, accuracy and loss (the checkpoint that was evaluated).</summary>
    [JsonPropertyName(ValidationMacroF1Key)]
    public double? ValMacroF1 { get; init; }

    public double? ValAccuracy { get; init; }
    public double? ValLoss { get; init; }
    public int? BestPhase { get; init; }
    public int? BestEpoch { get; init; }

    /// <summary>Finished epochs over all phases.</summary>
    public int? Epochs { get; init; }

    public double? TrainSeconds { get; init; }
    public IReadOnlyList<EpochRecord>? History { get; init; }

    /// <summary>The validation set as the model saw it and its calibration, for drift and label-free accuracy (null
    /// before monitoring existed).</summary>
    public MonitoringReference? Monitoring { get; init; }

    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? IndentedJsonOptions : JsonOptions);

    /// <summary>The document in <paramref name="json"/>, or null when it is not a JSON object of this shape.</summary>
    public static ModelMetrics? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelMetrics>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions IndentedJsonOptions = new(JsonOptions)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
