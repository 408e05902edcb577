using Fer.Contracts;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>A training job as <c>GET /train/{id}</c> shows it (and as it is stored in Redis). Immutable: each change
/// makes a new snapshot.</summary>
public sealed record TrainJob
{
    public required string Id { get; init; }
    public required TrainJobState State { get; init; }
    public required TrainJobOptions Options { get; init; }

    /// <summary>The data the job trains on, once found (the full path: <see cref="Public"/> shows only its name).</summary>
    public string? DataPath { get; init; }

    /// <summary>loading, caching, training, validating, evaluating, exporting, publishing, promoting, or null.</summary>
    public string? Stage { get; init; }

    public int Phase { get; init; }
    public int Epoch { get; init; }
    public int Epochs { get; init; }
    public int Batch { get; init; }
    public int Batches { get; init; }

    /// <summary>The running training loss of the current epoch.</summary>
    public double? Loss { get; init; }

    public double? ImagesPerSecond { get; init; }

    /// <summary>The latest finished epoch.</summary>
    public EpochRecord? Latest { get; init; }

    public int CompletedEpochs { get; init; }
    public string? Message { get; init; }
    public TrainJobResult? Result { get; init; }

    /// <summary>Why the job failed or was cancelled.</summary>
    public string? Error { get; init; }

    public required TrainJobTimings Timings { get; init; }

    /// <summary>The job as an open answer shows it: paths cut to their last part (<see cref="PublicPaths"/>).</summary>
    public TrainJob Public() => this with
    {
        Options = Options with { DataPath = PublicPaths.Name(Options.DataPath), WeightsPath = PublicPaths.Name(Options.WeightsPath) },
        DataPath = PublicPaths.Name(DataPath),
        Result = Result is null ? null : Result with { Metrics = PublicPaths.Of(Result.Metrics) },
        Message = PublicPaths.Redact(Message),
        Error = PublicPaths.Redact(Error),
    };
}
