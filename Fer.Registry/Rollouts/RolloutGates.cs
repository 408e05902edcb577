namespace Fer.Registry.Rollouts;

/// <summary>What a candidate must keep to go on; any gate that fails rolls it back at once.</summary>
/// <param name="ErrorRateMargin">Its error rate may exceed production's by at most this (0.02: two points).</param>
/// <param name="LatencyRatio">Its p95 latency may be at most this multiple of production's.</param>
/// <param name="MinAgreement">In shadow, the share of faces given the same emotion as production must reach this.</param>
/// <param name="MacroF1Margin">Its offline validation macro-F1 may be below production's by at most this.</param>
public sealed record RolloutGates(double ErrorRateMargin, double LatencyRatio, double MinAgreement, double MacroF1Margin)
{
    /// <summary>Defaults for this 2-core machine: docs/rollout.md says why each.</summary>
    public static RolloutGates Default { get; } = new(ErrorRateMargin: 0.02, LatencyRatio: 2.0, MinAgreement: 0.75, MacroF1Margin: 0.02);
}
