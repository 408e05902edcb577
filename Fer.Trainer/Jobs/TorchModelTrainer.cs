using Fer.Contracts.Monitoring;
using Fer.Registry.Feedback;
using Fer.Trainer.Feedback;
using Fer.Training.Data;
using Fer.Training.Monitoring;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Runs a job with the TorchSharp <see cref="TrainingRun"/> (two-phase fine-tune, evaluation, ONNX export) and turns
/// its outcome into what the registry records: the ONNX bytes, the metrics and the training data's fingerprint.
/// </summary>
public sealed class TorchModelTrainer(ILogger<TorchModelTrainer> logger, TimeProvider time, IServiceProvider services) : IModelTrainer
{
    public async Task<TrainedModel> TrainAsync(TrainJobOptions options, string dataPath, string runDirectory,
        IProgress<TrainProgress> progress, CancellationToken cancellationToken)
    {
        // The job's options are the run's, with the data it found, the folder it was given and the feedback it asked for.
        var feedback = options.IncludeFeedback
            ? await FeedbackFolder.WriteAsync(services.GetRequiredService<FeedbackStore>(), Path.Combine(runDirectory, FeedbackFolder.Name))
            : null;
        TrainingOptions trainingOptions = options with { DataPath = dataPath, OutputDirectory = runDirectory, FeedbackPath = feedback };
        var run = TrainingRun.Create(trainingOptions, new ProgressAdapter(progress), logger, time);
        var result = await run.RunAsync(cancellationToken);
        if (!result.Completed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the training run in {runDirectory} stopped before it finished (see {RunFiles.Log} there)");
        }
        if (result.OnnxPath is null || !File.Exists(result.OnnxPath))
            throw new InvalidOperationException($"the training run in {runDirectory} exported no ONNX model (see {RunFiles.Log} there)");

        var onnx = await File.ReadAllBytesAsync(result.OnnxPath, CancellationToken.None);
        var metrics = result.Metrics ?? throw new InvalidOperationException($"the training run in {runDirectory} recorded no metrics");
        // The validation set as the exported model sees it, and its calibration: what replicas measure live traffic against.
        var reference = await Task.Run(() => ModelReference.Compute(onnx, dataPath, FaceDataSource.Validation,
            trainingOptions.ValidationFraction, trainingOptions.Seed, cancellationToken), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, MonitoringReference.FileName), reference.ToJson() + "\n", CancellationToken.None);
        return new TrainedModel(
            onnx,
            metrics with { Monitoring = reference },
            options.ImageSize,
            result.DatasetFingerprint,
            runDirectory);
    }

    /// <summary>Maps the run's reports to the job's; a log line keeps the last known phase, epoch, loss and batch counts
    /// (the gateway page relies on them to keep its bar from jumping back between validation and the next epoch).</summary>
    private sealed class ProgressAdapter(IProgress<TrainProgress> target) : IProgress<TrainingProgress>
    {
        private TrainProgress last = new("loading", 0, 0, 0, 0, 0, double.NaN, 0);

        public void Report(TrainingProgress value)
        {
            var stage = value.Stage.ToString().ToLowerInvariant();
            var isLogLine = value.Message is not null && value.Phase == 0 && value.CompletedEpoch is null;
            var report = isLogLine
                ? last with { Stage = stage, Message = value.Message, CompletedEpoch = null }
                : new TrainProgress(stage, value.Phase, value.Epoch, value.Epochs, value.Batch, value.Batches,
                    value.Loss, value.ImagesPerSecond,
                    value.Message, value.CompletedEpoch);
            if (!isLogLine) last = report with { Message = null, CompletedEpoch = null };
            target.Report(report);
        }
    }
}
