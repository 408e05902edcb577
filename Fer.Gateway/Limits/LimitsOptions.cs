using System.ComponentModel.DataAnnotations;

namespace Fer.Gateway.Limits;

/// <summary>The gateway's request limits (configuration section <c>Gateway:Limits</c>), checked at start from the data
/// annotations below; each message names its key.</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Gateway:Limits";
    private const string Key = SectionName + ":";

    /// <summary>Largest request body the gateway accepts (the inference service's own default is 10 MB too).</summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = Key + nameof(MaxRequestBodyBytes) + " must be positive")]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Prediction requests one client may make per <see cref="PredictWindow"/>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Key + nameof(PredictPermitLimit) + " must be positive")]
    public int PredictPermitLimit { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", MinimumIsExclusive = true, ErrorMessage = Key + nameof(PredictWindow) + " must be positive")]
    public TimeSpan PredictWindow { get; set; } = TimeSpan.FromSeconds(10);
}
