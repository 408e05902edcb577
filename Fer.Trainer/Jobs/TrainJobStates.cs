namespace Fer.Trainer.Jobs;

public static class TrainJobStates
{
    public static bool IsFinal(this TrainJobState state) =>
        state is TrainJobState.Succeeded or TrainJobState.Failed or TrainJobState.Cancelled;

    /// <summary>The wire name ("queued", "running", ...), as in the JSON and the Redis hash.</summary>
    public static string Name(this TrainJobState state) => state switch
    {
        TrainJobState.Queued => "queued",
        TrainJobState.Running => "running",
        TrainJobState.Succeeded => "succeeded",
        TrainJobState.Failed => "failed",
        TrainJobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
