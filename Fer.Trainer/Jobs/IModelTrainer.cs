namespace Fer.Trainer.Jobs;

/// <summary>Runs one training job to an exported ONNX model. One call at a time (the runner sees to it).</summary>
public interface IModelTrainer
{
    /// <exception cref="OperationCanceledException">The job was cancelled.</exception>
    Task<TrainedModel> TrainAsync(
        TrainJobOptions options,
        string dataPath,
        string runDirectory,
        IProgress<TrainProgress> progress,
        CancellationToken cancellationToken);
}
