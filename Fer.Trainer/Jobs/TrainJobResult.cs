using Fer.Contracts;

namespace Fer.Trainer.Jobs;

/// <summary>What a succeeded job produced: the registry version, its metrics, and what the promotion policy did.</summary>
public sealed record TrainJobResult
{
    public required string Version { get; init; }
    public required bool Promoted { get; init; }

    /// <summary>Why the version was or was not promoted, in words.</summary>
    public required string PromotionReason { get; init; }

    public required double ValidationMacroF1 { get; init; }
    public required ModelMetrics Metrics { get; init; }
    public required string Sha256 { get; init; }
    public required long SizeBytes { get; init; }
}
