using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// A job's options: the body of <c>POST /train</c> (every field optional, the CLI's defaults otherwise), what the job
/// runs with and what the registry records. Every training setting is <see cref="TrainingOptions"/>' own; the job adds
/// only what happens to the published version. The API refuses <c>out</c> (each job gets its folder under
/// <c>Trainer:RunsDirectory</c>) and <c>exportOnnx: false</c> (a job publishes its ONNX model).
/// </summary>
public sealed record TrainJobOptions : TrainingOptions
{
    public PromotionPolicy Promote { get; init; } = PromotionPolicy.IfBetter;

    /// <summary>Add the feedback set users gave (a snapshot taken when the job starts, see docs/feedback.md) to the
    /// training data, with a held-out part the run scores on its own.</summary>
    public bool IncludeFeedback { get; init; }
}
