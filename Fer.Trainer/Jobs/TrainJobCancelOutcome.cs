namespace Fer.Trainer.Jobs;

public enum TrainJobCancelOutcome
{
    /// <summary>Cancellation was requested; the job ends as cancelled shortly.</summary>
    Requested,

    NotFound,

    /// <summary>The job already ended (or is not run by this trainer).</summary>
    NotRunning,
}
