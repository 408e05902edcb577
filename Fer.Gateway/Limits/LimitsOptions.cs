namespace Fer.Gateway.Limits;

public sealed class LimitsOptions
{
    public const string SectionName = "Gateway:Limits";

    /// <summary>Largest request body the gateway accepts (the inference service's own default is 10 MB too).</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Prediction requests one client may make per <see cref="PredictWindow"/>.</summary>
    public int PredictPermitLimit { get; set; } = 100;

    public TimeSpan PredictWindow { get; set; } = TimeSpan.FromSeconds(10);
}
