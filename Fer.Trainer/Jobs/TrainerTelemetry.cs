using System.Diagnostics;

namespace Fer.Trainer.Jobs;

/// <summary>The trainer's ActivitySource: one trace per job (<see cref="JobSpan"/>) with child spans per stage,
/// phase and epoch.</summary>
public static class TrainerTelemetry
{
    public const string Name = "Fer.Trainer";

    public const string JobSpan = "train.job";
    public const string StageSpan = "train.stage";
    public const string PhaseSpan = "train.phase";
    public const string EpochSpan = "train.epoch";
    public const string PublishSpan = "train.publish";

    public const string JobIdTag = "fer.train.job_id";
    public const string StageTag = "fer.train.stage";
    public const string PhaseTag = "fer.train.phase";
    public const string EpochTag = "fer.train.epoch";
    public const string StateTag = "fer.train.state";
    public const string VersionTag = "fer.model.version";

    public static readonly ActivitySource Source = new(Name);
}
