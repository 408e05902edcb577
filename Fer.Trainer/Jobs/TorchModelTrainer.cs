using System.Text.Json;
using Fer.Training.Runs;

namespace Fer.Trainer.Jobs;

/// <summary>
/// Runs a job with the TorchSharp <see cref="TrainingRun"/> (two-phase fine-tune, evaluation, ONNX export) and turns
/// its outcome into what the registry records: the ONNX bytes, the metrics and the training data's fingerprint.
/// </summary>
public sealed class TorchModelTrainer(ILogger<TorchModelTrainer> logger, TimeProvider time) : IModelTrainer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<TrainedModel> TrainAsync(TrainJobOptions options, string dataPath, string runDirectory,
        IProgress<TrainProgress> progress, CancellationToken cancellationToken)
    {
        var recipe = options.Recipe == TrainDefaults.ScratchRecipe ? TrainingRecipe.Scratch : TrainingRecipe.Transfer;
        var defaults = RecipeDefaults.Of(recipe);
        var trainingOptions = new TrainingOptions
        {
            DataPath = dataPath,
            OutputDirectory = runDirectory,
            ImageSize = options.ImageSize,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Recipe = recipe,
            PhaseOneLearningRate = defaults.PhaseOneLearningRate,
            PhaseTwoLearningRate = defaults.PhaseTwoLearningRate,
            WeightsPath = options.Weights,
            PhaseOneEpochs = options.Epochs1,
            PhaseTwoEpochs = options.Epochs2,
        };
        var run = TrainingRun.Create(trainingOptions, new ProgressAdapter(progress), logger, time);
        var result = await run.RunAsync(cancellationToken);
        if (!result.Completed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the training run in {runDirectory} stopped before it finished (see {RunFiles.Log} there)");
        }
        if (result.OnnxPath is null || !File.Exists(result.OnnxPath))
            throw new InvalidOperationException($"the training run in {runDirectory} exported no ONNX model (see {RunFiles.Log} there)");

        var state = TrainingState.Read(runDirectory);
        var best = result.History.Count == 0 ? null : result.History.MaxBy(epoch => epoch.ValidationMacroF1);
        var evaluation = result.Evaluation?.Metrics;
        var metrics = new Dictionary<string, object?>
        {
            [TrainedModel.ValidationMacroF1Key] = best?.ValidationMacroF1,
            ["valAccuracy"] = best?.ValidationAccuracy,
            ["valLoss"] = best?.ValidationLoss,
            ["bestPhase"] = best?.Phase,
            ["bestEpoch"] = best?.Epoch,
            ["epochs"] = result.History.Count,
            ["evaluationSplit"] = result.Evaluation?.Split,
            ["evaluationCount"] = evaluation?.Count,
            ["accuracy"] = evaluation?.Accuracy,
            ["macroF1"] = evaluation?.MacroF1,
            ["weightedF1"] = evaluation?.WeightedF1,
            ["macroRocAuc"] = evaluation?.MacroRocAuc is { } auc && double.IsFinite(auc) ? auc : null,
            ["trainSeconds"] = result.Elapsed.TotalSeconds,
            // What the dashboard draws for a version: the evaluation's confusion matrix (rows: true class, columns:
            // predicted, in the order of labels) and the loss/accuracy curves per epoch.
            ["labels"] = evaluation?.Classes.Select(c => c.Name).ToList(),
            ["confusionMatrix"] = evaluation?.ConfusionMatrix,
            ["history"] = result.History.Select(e => new
            {
                e.Phase, e.Epoch,
                TrainLoss = Finite(e.TrainLoss), TrainAccuracy = Finite(e.TrainAccuracy),
                ValidationLoss = Finite(e.ValidationLoss), ValidationAccuracy = Finite(e.ValidationAccuracy),
                ValidationMacroF1 = Finite(e.ValidationMacroF1),
            }).ToList(),
        };
        return new TrainedModel(
            await File.ReadAllBytesAsync(result.OnnxPath, CancellationToken.None),
            JsonSerializer.Serialize(metrics, Json),
            best?.ValidationMacroF1 ?? 0,
            options.ImageSize,
            state.TrainFingerprint,
            runDirectory);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

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
