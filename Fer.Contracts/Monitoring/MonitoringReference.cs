using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fer.Contracts.Monitoring;

/// <summary>
/// What a version saw on its validation set, stored with the version (the <c>monitoring</c> part of its metrics
/// document) so replicas can measure live traffic against it: the predicted classes, the confidences, the input
/// statistics of the crops (<see cref="FaceStatistics"/>), and where faces came from a detector, their size in the
/// photo and the detector's score. FER2013's crops are taken whole: <see cref="TakenWhole"/> is then 1 and the two
/// detector histograms are null, and a replica does not test those two statistics. It also carries the probability
/// calibration (<see cref="Temperature"/>, with the expected calibration error before and after) and the validation
/// accuracy, the offline figure a live estimate is shown beside.
/// </summary>
public sealed record MonitoringReference
{
    public const string FileName = "monitoring-reference.json";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Which split the reference describes, and how many faces.</summary>
    public string Split { get; init; } = "validation";

    public int Count { get; init; }

    /// <summary>Faces per predicted class, in the order of <see cref="EmotionLabels.Names"/>.</summary>
    public long[] Classes { get; init; } = [];

    /// <summary>The (uncalibrated) probability of each face's predicted class.</summary>
    public required ReferenceHistogram Confidence { get; init; }

    public required ReferenceHistogram Brightness { get; init; }
    public required ReferenceHistogram Contrast { get; init; }
    public required ReferenceHistogram Sharpness { get; init; }

    /// <summary>The face's side over the photo's shorter side; null when no face came from a detector.</summary>
    public ReferenceHistogram? FaceSize { get; init; }

    public ReferenceHistogram? DetectorScore { get; init; }

    /// <summary>The share of faces that were taken whole (no detector).</summary>
    public double TakenWhole { get; init; } = 1;

    /// <summary>The temperature T of softmax(logits / T) fitted on the split (minimum negative log-likelihood).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Expected calibration error (15 equal-width bins) of the split before and after the temperature.</summary>
    public double EceBefore { get; init; }

    public double EceAfter { get; init; }

    /// <summary>The split's accuracy, and its mean calibrated confidence (the label-free estimate of it).</summary>
    public double Accuracy { get; init; }

    public double EstimatedAccuracy { get; init; }

    /// <summary>The calibrated confidence above which the split's share of faces equals its accuracy: live, the share of
    /// faces above it is a second label-free estimate (average thresholded confidence), which holds up better than
    /// the mean under some shifts (docs/monitoring.md). Null in references made before it existed.</summary>
    public double? ConfidenceThreshold { get; init; }

    /// <summary>The share of each class among the split's labels (order of <see cref="EmotionLabels.Names"/>): what
    /// <see cref="TransportEstimate"/> moves live confidences onto. Null in references made before it existed; replicas
    /// then estimate by the mean calibrated confidence.</summary>
    public double[]? ClassShares { get; init; }

    /// <summary>The temperature of the probabilities the transport estimate moves: the one at which it equals the split's
    /// accuracy (<c>TransportFit</c>). Null in references made before it existed (then <see cref="Temperature"/>).</summary>
    public double? TransportTemperature { get; init; }

    /// <summary>The transport estimate of the split's own accuracy (beside <see cref="Accuracy"/>).</summary>
    public double? TransportAccuracy { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static MonitoringReference? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MonitoringReference>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
