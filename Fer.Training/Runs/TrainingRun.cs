using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fer.Contracts;
using Fer.Faces.Detection;
using Fer.Imaging;
using Fer.Training.Data;
using Fer.Training.Evaluation;
using Fer.Training.Networks;
using Fer.Training.Onnx;
using Fer.Training.Torch;
using Fer.Training.Weights;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fer.Training.Runs;

/// <summary>
/// One training run, independent of any front end: loads the data, builds the network family's model, runs the recipe's phases (each with
/// AdamW, a cosine schedule, early stopping on validation macro-F1 and its best checkpoint), evaluates the best model,
/// writes the report and exports the ONNX model. Progress goes to an <see cref="IProgress{T}"/>; cancellation stops at
/// the next batch, keeps the best checkpoint and leaves the run resumable from its last finished epoch.
/// </summary>
public sealed class TrainingRun
{
    private readonly TrainingOptions _options;
    private readonly bool _resuming;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private TrainingState? _state;
    private FeedbackData? _feedback;
    private PhaseCaches? _heldCaches;

    private TrainingRun(TrainingOptions options, TrainingState? state, IProgress<TrainingProgress>? progress, ILogger? logger,
        TimeProvider? time)
    {
        if (options.Validate() is { Count: > 0 } errors)
            throw new ArgumentException($"invalid training options: {string.Join("; ", errors.Select(e => $"{e.Field} {e.Problem}"))}", nameof(options));
        if (string.IsNullOrWhiteSpace(options.DataPath)) throw new ArgumentException("a run needs its data (data, --data)", nameof(options));
        if (string.IsNullOrWhiteSpace(options.OutputDirectory)) throw new ArgumentException("a run needs its folder (out, --out)", nameof(options));
        _options = options;
        _state = state;
        _resuming = state is not null;
        _progress = progress;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public TrainingOptions Options => _options;

    public string RunDirectory => _options.OutputDirectory!;

    private string DataPath => _options.DataPath!;

    /// <summary>A new run into <see cref="TrainingOptions.OutputDirectory"/> (which must not hold another run).</summary>
    public static TrainingRun Create(TrainingOptions options, IProgress<TrainingProgress>? progress = null, ILogger? logger = null,
        TimeProvider? time = null)
    {
        if (options.OutputDirectory is { } folder && File.Exists(Path.Combine(folder, RunFiles.State)))
            throw new InvalidOperationException($"{options.OutputDirectory} already holds a run: use --resume {options.OutputDirectory} or another --out");
        return new TrainingRun(options.Resolved(), null, progress, logger, time);
    }

    /// <summary>Continues the run in <paramref name="runDirectory"/> from its last finished epoch, with its own options.</summary>
    public static TrainingRun Resume(string runDirectory, IProgress<TrainingProgress>? progress = null, ILogger? logger = null,
        TimeProvider? time = null)
    {
        var state = TrainingState.Read(runDirectory);
        return new TrainingRun(state.Options with { OutputDirectory = runDirectory }, state, progress, logger, time);
    }

    public Task<TrainingResult> RunAsync(CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public TrainingResult Run(CancellationToken cancellationToken = default)
    {
        try
        {
            return RunCore(cancellationToken);
        }
        finally
        {
            _heldCaches?.Dispose();
            _heldCaches = null;
        }
    }

    private TrainingResult RunCore(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        Directory.CreateDirectory(RunDirectory);
        using var log = new RunLog(Path.Combine(RunDirectory, RunFiles.Log), _logger, _progress, _time);
        var runtime = TorchRuntime.Initialize();
        var device = runtime.Device;
        torch.random.manual_seed(_options.Seed);
        log.Write(_resuming ? $"resuming {RunDirectory}" : $"new run in {RunDirectory}");
        log.Write($"torch: {runtime.Describe()}");
        if (device.type == DeviceType.CUDA)
            log.Write("CUDA: TF32 matmuls on; no mixed precision (TorchSharp has no autocast/GradScaler), so training runs in float32");

        var data = FaceDataSource.Load(DataPath, _options.ValidationFraction, _options.Seed, _options.MaxImagesPerClass, cancellationToken);
        var feedback = _options.FeedbackPath is { } feedbackPath ? FeedbackData.Load(feedbackPath, _options.Seed, cancellationToken) : null;
        if (feedback is not null)
        {
            data = feedback.JoinTraining(data);
            log.Write($"feedback {feedback.Hash}: {feedback.Train.Count} labels join training, {feedback.HeldOut.Count} held out");
        }
        LogData(log, data);
        var fingerprint = data.Train.Fingerprint();
        if (_state is not null && _state.TrainFingerprint != fingerprint)
            throw new InvalidOperationException($"the training data of {DataPath} changed since the run began (fingerprint differs); start a new run");
        _state ??= new TrainingState { Options = _options, TrainFingerprint = fingerprint };
        _feedback = feedback;
        WriteDataManifest(fingerprint, null);

        using var model = CreateNetwork(_options);
        var last = Path.Combine(RunDirectory, RunFiles.LastCheckpoint);
        if (_resuming && File.Exists(last)) model.load(last);
        else Initialise(log, model);
        model.to(device);
        var stack = new NetworkStack(model);

        var counts = data.Train.ClassCounts();
        var weights = ClassWeights.Balanced(counts, _options.EffectiveClassWeightPower);
        using var classWeights = tensor(weights, device: device);
        log.Write($"loss: cross-entropy, class weights [{string.Join(", ", weights.Select(w => w.ToString("F2", CultureInfo.InvariantCulture)))}], label smoothing {_options.EffectiveLabelSmoothing}");

        var headTensors = model.Classifier.parameters().Count();
        var phases = _options.Phases(headTensors);
        var cacheNotes = new List<string>();
        while (!_state.TrainingFinished && _state.PhaseIndex < phases.Count)
        {
            var completed = RunPhase(phases[_state.PhaseIndex], phases, stack, data, classWeights, log, cacheNotes, cancellationToken);
            if (!completed)
            {
                log.Write($"stopped: the best checkpoint is {Path.Combine(RunDirectory, RunFiles.BestCheckpoint)}; continue with --resume {RunDirectory}");
                return new TrainingResult(RunDirectory, false, null, _state.History, _time.GetElapsedTime(started), null, _state.TrainFingerprint, null);
            }
        }
        _state = _state with { TrainingFinished = true };
        _state.Write(RunDirectory);

        return Finish(model, data, log, cacheNotes, started, cancellationToken);
    }

    /// <summary>The run's network: its family's, untrained, with the run's test-time augmentation.</summary>
    public static FaceNetwork CreateNetwork(TrainingOptions options)
    {
        FaceNetwork network = options.Family == ModelFamily.Cnn48
            ? new Cnn48(dropout: options.Dropout ?? Cnn48.DefaultDropout)
            : new FerNet(options.ImageSize, stochasticDepthProbability: options.StochasticDepth);
        network.TestTimeFlip = options.UsesTestTimeFlip;
        return network;
    }

    private TrainingResult Finish(FaceNetwork model, FaceDataSplits data, RunLog log, List<string> cacheNotes, long started,
        CancellationToken cancellationToken)
    {
        var best = Path.Combine(RunDirectory, RunFiles.BestCheckpoint);
        if (File.Exists(best)) model.load(best);
        var (split, evaluationData) = data.Test is { } test ? (FaceDataSource.Test, test) : (FaceDataSource.Validation, data.Validation);
        log.Stage = TrainingStage.Evaluating;
        log.Write($"evaluating the best checkpoint (phase {_state!.BestPhase}, epoch {_state.BestEpoch}) on {split} ({evaluationData.Count} images)");
        var probabilities = ModelEvaluator.Predict(model, evaluationData, _options.BatchSize, cancellationToken);
        var result = EvaluationResult.Compute(best, DataPath, split, EmotionLabels.Names,
            evaluationData.Samples.Select(s => s.Label).ToArray(), probabilities);
        var composite = MeasureComposite(model, data.Validation, log, cancellationToken);
        ScoreFeedback(model, log, cancellationToken);

        // The report is written even when the parity gate rejects the export: the run's metrics stand either way.
        string? onnx = null;
        ModelMetrics metrics;
        var elapsed = _time.GetElapsedTime(started);
        try
        {
            if (_options.ExportOnnx)
            {
                log.Stage = TrainingStage.Exporting;
                onnx = ExportOnnx(model, evaluationData, result, log);
            }
        }
        catch (OnnxParityException e)
        {
            log.Write($"model.onnx NOT written: {e.Message.Split('\n')[0]}");
            throw;
        }
        finally
        {
            elapsed = _time.GetElapsedTime(started);
            metrics = RunMetrics(result with { Model = onnx ?? best }, elapsed);
            EvaluationReport.Write(RunDirectory, result with { Model = onnx ?? best }, metrics, Summary(data, cacheNotes, elapsed, composite));
        }
        log.Stage = TrainingStage.Done;
        log.Write($"{split}: accuracy {result.Metrics.Accuracy:P2}, macro-F1 {result.Metrics.MacroF1:F4}; run took {elapsed:hh\\:mm\\:ss}");
        return new TrainingResult(RunDirectory, true, result, _state.History, elapsed, onnx, _state.TrainFingerprint, metrics);
    }

    /// <summary>The run's metrics document: the best checkpoint's evaluation, its validation epoch, and the history.</summary>
    private ModelMetrics RunMetrics(EvaluationResult evaluation, TimeSpan elapsed)
    {
        var history = _state!.History;
        var best = history.Count == 0 ? null : history.MaxBy(epoch => epoch.ValidationMacroF1);
        return (evaluation with { Family = ModelFamilies.Id(_options.Family) }).ToMetrics(_time.GetUtcNow()) with
        {
            ValMacroF1 = Finite(best?.ValidationMacroF1),
            ValAccuracy = Finite(best?.ValidationAccuracy),
            ValLoss = Finite(best?.ValidationLoss),
            BestPhase = best?.Phase,
            BestEpoch = best?.Epoch,
            Epochs = history.Count,
            TrainSeconds = elapsed.TotalSeconds,
            History = history,
        };
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>Runs (the rest of) one phase; false when cancelled.</summary>
    private bool RunPhase(PhasePlan phase, IReadOnlyList<PhasePlan> phases, NetworkStack stack, FaceDataSplits data, Tensor classWeights, RunLog log,
        List<string> cacheNotes, CancellationToken cancellationToken)
    {
        var model = stack.Model;
        var trainable = phase.TrainableTensors is { } n
            ? FerNetParameters.TrainOnlyLast(model, n).Select(p => p.Parameter).ToList()
            : FerNetParameters.All(model).Select(p => { p.Parameter.requires_grad = true; return p.Parameter; }).ToList();
        var frozen = stack.FrozenPrefixLength();
        var augmentation = _options.AugmentationFor(frozen > 0);
        log.Stage = TrainingStage.Training;
        log.Write($"phase {phase.Number} ({phase.Name}): {trainable.Count} trainable tensors ({trainable.Sum(p => p.numel()):N0} values), " +
                  $"{frozen} of {stack.UnitCount} backbone units frozen, lr {phase.LearningRate:G3}, up to {phase.Epochs} epochs, from epoch {_state!.NextEpoch}");
        log.Write($"augmentation: {Describe(augmentation)}");

        stack.SetTrainingMode(frozen);
        var caches = Caches(stack, phases, frozen, augmentation, data, log, cacheNotes, phase, cancellationToken, out var ownsCaches);
        using var ownedCaches = ownsCaches ? caches : null;
        // Without augmentation the "augmenter" is the identity: batches are still shuffled per epoch.
        var content = caches is not null ? BatchContent.IndicesOnly : BatchContent.Augmented;
        var loader = new BatchLoader(data.Train, _options.BatchSize, _options.Seed,
            new Augmenter(augmentation ?? AugmentationOptions.FlipOnly with { HorizontalFlip = false }));
        var stepsPerEpoch = loader.BatchesPerEpoch(content);
        var schedule = new CosineSchedule(phase.LearningRate, (long)stepsPerEpoch * phase.Epochs, _options.MinLearningRateFactor);

        using var optimizer = torch.optim.AdamW(trainable, phase.LearningRate, weight_decay: _options.EffectiveWeightDecay);
        var optimizerFile = Path.Combine(RunDirectory, RunFiles.LastOptimizer);
        if (_state.NextEpoch > 1 && File.Exists(optimizerFile)) optimizer.load_state_dict(optimizerFile);

        for (var epoch = _state.NextEpoch; epoch <= phase.Epochs; epoch++)
        {
            var record = TrainEpoch(phase, epoch, stack, frozen, loader, content, caches, schedule, stepsPerEpoch, optimizer, classWeights,
                data.Validation, cancellationToken);
            if (record is null) return false;
            EndEpoch(phase, record, model, optimizer, log);
            if (_state.EpochsSinceBest >= _options.EffectivePatience && epoch < phase.Epochs)
            {
                log.Write($"phase {phase.Number}: early stop after epoch {epoch} ({_options.EffectivePatience} epochs without a better validation macro-F1)");
                break;
            }
        }

        // The next phase starts from this phase's best weights.
        var phaseBest = Path.Combine(RunDirectory, RunFiles.PhaseBest(phase.Number));
        if (File.Exists(phaseBest)) model.load(phaseBest);
        model.save(Path.Combine(RunDirectory, RunFiles.LastCheckpoint));
        File.Delete(optimizerFile);
        _state = _state with { PhaseIndex = _state.PhaseIndex + 1, NextEpoch = 1, PhaseBestScore = double.NegativeInfinity, EpochsSinceBest = 0 };
        _state.Write(RunDirectory);
        return true;
    }

    private EpochRecord? TrainEpoch(PhasePlan phase, int epoch, NetworkStack stack, int frozen, BatchLoader loader, BatchContent content,
        PhaseCaches? caches, CosineSchedule schedule, int stepsPerEpoch, OptimizerHelper optimizer, Tensor classWeights,
        FaceDataset validation, CancellationToken cancellationToken)
    {
        var device = classWeights.device;
        var clock = Stopwatch.StartNew();
        double lossSum = 0, lr = 0;
        long seen = 0, correct = 0;
        var batchIndex = 0;
        stack.SetTrainingMode(frozen);
        try
        {
            foreach (var batch in loader.Epoch(phase.Number * 100_000 + epoch, content, cancellationToken))
            {
                if (cancellationToken.IsCancellationRequested) return null;
                using var scope = NewDisposeScope();
                lr = schedule.At((long)(epoch - 1) * stepsPerEpoch + batchIndex);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

                Tensor input;
                if (caches is not null) input = caches.Train.Gather(batch.Indices, batch.Flipped);
                else
                {
                    var pixels = tensor(batch.Pixels, [batch.Count, 1, FaceImage.Size, FaceImage.Size]).to(device);
                    using (no_grad()) input = stack.Prefix(pixels, frozen);
                }
                var labels = tensor(batch.Labels, device: device);
                var logits = stack.Logits(input, frozen);
                var loss = nn.functional.cross_entropy(logits, labels, classWeights, label_smoothing: _options.EffectiveLabelSmoothing);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                lossSum += loss.item<float>() * batch.Count;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += batch.Count;
                batchIndex++;
                var rate = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / batchIndex * (stepsPerEpoch - batchIndex));
                _progress?.Report(new TrainingProgress(TrainingStage.Training, phase.Number, epoch, phase.Epochs, batchIndex, stepsPerEpoch,
                    lossSum / seen, rate, eta));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        if (cancellationToken.IsCancellationRequested || seen == 0) return null;
        var trainSeconds = clock.Elapsed.TotalSeconds;

        _progress?.Report(new TrainingProgress(TrainingStage.Validating, phase.Number, epoch, phase.Epochs, batchIndex, stepsPerEpoch,
            lossSum / seen, seen / trainSeconds, null));
        var (validationLoss, metrics) = Validate(stack, frozen, caches, validation, classWeights, cancellationToken);
        return new EpochRecord(phase.Number, epoch, lossSum / seen, (double)correct / seen, validationLoss, metrics.Accuracy, metrics.MacroF1,
            lr, clock.Elapsed.TotalSeconds, seen / trainSeconds, caches is not null);
    }

    private (double Loss, ClassificationMetrics Metrics) Validate(NetworkStack stack, int frozen, PhaseCaches? caches, FaceDataset validation,
        Tensor classWeights, CancellationToken cancellationToken)
    {
        var model = stack.Model;
        model.eval();
        try
        {
            var probabilities = new List<float[]>(validation.Count);
            double lossSum = 0;
            foreach (var batch in new BatchLoader(validation, _options.BatchSize, 0).Epoch(0, BatchContent.Plain, cancellationToken))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var logits = caches is not null
                    ? stack.Logits(caches.Validation.Gather(batch.Indices, batch.Flipped), frozen)
                    : model.call(tensor(batch.Pixels, [batch.Count, 1, FaceImage.Size, FaceImage.Size]).to(classWeights.device));
                var labels = tensor(batch.Labels, device: classWeights.device);
                lossSum += nn.functional.cross_entropy(logits, labels, classWeights).item<float>() * batch.Count;
                probabilities.AddRange(ModelEvaluator.Rows(nn.functional.softmax(logits, 1)));
            }
            var metrics = ClassificationMetrics.Compute(EmotionLabels.Names, validation.Samples.Select(s => s.Label).ToArray(), probabilities);
            return (lossSum / validation.Count, metrics);
        }
        finally
        {
            stack.SetTrainingMode(frozen);
        }
    }

    private void EndEpoch(PhasePlan phase, EpochRecord record, FaceNetwork model, OptimizerHelper optimizer, RunLog log)
    {
        var state = _state!;
        var score = record.ValidationMacroF1;
        var phaseBetter = score > state.PhaseBestScore;
        var overallBetter = score > state.BestScore;
        if (phaseBetter) model.save(Path.Combine(RunDirectory, RunFiles.PhaseBest(phase.Number)));
        if (overallBetter) model.save(Path.Combine(RunDirectory, RunFiles.BestCheckpoint));
        model.save(Path.Combine(RunDirectory, RunFiles.LastCheckpoint));
        optimizer.save_state_dict(Path.Combine(RunDirectory, RunFiles.LastOptimizer));
        _state = state with
        {
            NextEpoch = record.Epoch + 1,
            PhaseBestScore = phaseBetter ? score : state.PhaseBestScore,
            EpochsSinceBest = phaseBetter ? 0 : state.EpochsSinceBest + 1,
            BestScore = overallBetter ? score : state.BestScore,
            BestPhase = overallBetter ? phase.Number : state.BestPhase,
            BestEpoch = overallBetter ? record.Epoch : state.BestEpoch,
            History = [.. state.History, record],
        };
        _state.Write(RunDirectory);

        TrainingLog.EpochDone(_logger, phase.Number, record.Epoch, record.TrainLoss, record.ValidationLoss, record.ValidationAccuracy,
            record.ValidationMacroF1, record.ImagesPerSecond);
        log.Write(string.Create(CultureInfo.InvariantCulture,
            $"phase {phase.Number} epoch {record.Epoch}/{phase.Epochs}: train loss {record.TrainLoss:F4} acc {record.TrainAccuracy:P1} | val loss {record.ValidationLoss:F4} acc {record.ValidationAccuracy:P1} macro-F1 {record.ValidationMacroF1:F4} | lr {record.LearningRate:G3} | {record.Seconds:F1}s, {record.ImagesPerSecond:F0} img/s{(record.FromFeatureCache ? " (feature cache)" : "")}{(phaseBetter ? " *best" : "")}"));
        _progress?.Report(new TrainingProgress(TrainingStage.Training, phase.Number, record.Epoch, phase.Epochs, 0, 0, record.TrainLoss,
            record.ImagesPerSecond, null, null, record));
    }

    /// <summary>
    /// The caches a phase trains on, or null (with the reason logged) when the cache is off, invalid for the augmentation,
    /// or over the memory bound. When a later phase will cache a shorter frozen prefix (the transfer recipe's phase 2), that
    /// prefix is computed once and kept (<see cref="_heldCaches"/>), and this phase's deeper cache is derived from it.
    /// <paramref name="owned"/> says whether the caller disposes the result.
    /// </summary>
    private PhaseCaches? Caches(NetworkStack stack, IReadOnlyList<PhasePlan> phases, int frozen, AugmentationOptions? augmentation,
        FaceDataSplits data, RunLog log, List<string> notes, PhasePlan phase, CancellationToken cancellationToken, out bool owned)
    {
        owned = false;
        var variants = augmentation is { HorizontalFlip: true } ? 2 : 1;
        var reason = WhyNoCache(frozen, augmentation);
        if (reason is not null)
        {
            NoteCache(log, notes, phase, reason);
            return null;
        }

        var storage = Storage(stack, frozen, variants, data);
        if (storage is null)
        {
            NoteCache(log, notes, phase, $"not used: it would take {Mebibytes(CacheBytes(stack, frozen, variants, data, ScalarType.Float16))} even as float16, over the {Mebibytes(_options.FeatureCacheLimitBytes)} limit (--cache-limit); the frozen prefix runs live");
            return null;
        }

        // A later phase with a shorter, still cacheable frozen prefix and the same flips: build at its level once.
        var baseLevel = frozen;
        foreach (var later in phases.Where(p => p.Number > phase.Number))
        {
            var names = later.TrainableTensors is { } n ? FerNetParameters.Last(stack.Model, n).Select(p => p.Name).ToList() : [];
            var laterFrozen = later.TrainableTensors is null ? 0 : stack.FrozenPrefixLength(names);
            var laterAugmentation = _options.AugmentationFor(laterFrozen > 0);
            var laterVariants = laterAugmentation is { HorizontalFlip: true } ? 2 : 1;
            if (laterFrozen > 0 && laterFrozen < baseLevel && WhyNoCache(laterFrozen, laterAugmentation) is null && laterVariants == variants
                && Storage(stack, laterFrozen, variants, data) == storage)
                baseLevel = laterFrozen;
        }

        if (_heldCaches is not { } held || held.Level > frozen || held.Variants != variants)
        {
            _heldCaches?.Dispose();
            _heldCaches = null;
            _heldCaches = BuildCaches(stack, baseLevel, variants, storage.Value, data, log, phase, cancellationToken);
        }
        var clock = Stopwatch.StartNew();
        var caches = _heldCaches;
        if (caches.Level < frozen)
        {
            caches = caches.Derive(stack, frozen, _options.BatchSize, cancellationToken);
            owned = true;
        }
        NoteCache(log, notes, phase, $"{frozen} frozen units cached for {data.Train.Count} images x{variants} + {data.Validation.Count} validation images, {Mebibytes(caches.Bytes)} as {storage}"
            + (caches == _heldCaches ? "" : $", derived in {clock.Elapsed.TotalSeconds:F1}s from the {_heldCaches.Level}-unit cache ({Mebibytes(_heldCaches.Bytes)}) kept for a later phase"));
        return caches;
    }

    private PhaseCaches BuildCaches(NetworkStack stack, int level, int variants, ScalarType storage, FaceDataSplits data, RunLog log,
        PhasePlan phase, CancellationToken cancellationToken)
    {
        log.Stage = TrainingStage.Caching;
        log.Write($"feature cache: computing the output of the first {level} backbone units for {data.Train.Count} training images x{variants} and {data.Validation.Count} validation images ({Mebibytes(CacheBytes(stack, level, variants, data, storage))} as {storage})");
        var clock = Stopwatch.StartNew();
        void Report(int batch, int batches) => _progress?.Report(new TrainingProgress(TrainingStage.Caching, phase.Number, 0,
            phase.Epochs, batch, batches, double.NaN, batch * (double)_options.BatchSize * variants / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), null));
        var train = FeatureCache.Build(stack, data.Train, level, variants, storage, _options.BatchSize, Report, cancellationToken);
        try
        {
            var validation = FeatureCache.Build(stack, data.Validation, level, 1, storage, _options.BatchSize, null, cancellationToken);
            log.Stage = TrainingStage.Training;
            log.Write($"feature cache: built in {clock.Elapsed.TotalSeconds:F1}s ({(data.Train.Count * variants + data.Validation.Count) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} images/s)");
            return new PhaseCaches(train, validation);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private string? WhyNoCache(int frozen, AugmentationOptions? augmentation) =>
        _options.FeatureCache == FeatureCacheMode.Off ? "off (--feature-cache off): the whole network runs on every batch"
        : frozen == 0 ? "not used: every layer trains"
        : augmentation is { IsFlipOnly: false }
            ? "not used: affine/photometric augmentation changes the frozen part's input every epoch; the frozen prefix runs live (no gradients)"
            : null;

    private ScalarType? Storage(NetworkStack stack, int level, int variants, FaceDataSplits data) =>
        new[] { ScalarType.Float32, ScalarType.Float16 }
            .Select(t => (ScalarType?)t)
            .FirstOrDefault(t => CacheBytes(stack, level, variants, data, t!.Value) <= _options.FeatureCacheLimitBytes);

    private static long CacheBytes(NetworkStack stack, int level, int variants, FaceDataSplits data, ScalarType storage) =>
        FeatureCache.EstimateBytes(stack, level, data.Train.Count, variants, storage)
        + FeatureCache.EstimateBytes(stack, level, data.Validation.Count, 1, storage);

    private static void NoteCache(RunLog log, List<string> notes, PhasePlan phase, string note)
    {
        log.Write($"feature cache: {note}");
        notes.Add($"phase {phase.Number}: {note}");
    }

    /// <summary>Exports the best model through the ONNX exporter and its parity gate (ONNX Runtime must reproduce the
    /// TorchSharp model's output on real images of the evaluation split and on noise), then writes model.onnx.</summary>
    private string ExportOnnx(FaceNetwork model, FaceDataset evaluationData, EvaluationResult result, RunLog log)
    {
        model.to(CPU);
        model.eval();
        var metrics = new Dictionary<string, double>
        {
            [$"{result.Split}_accuracy"] = result.Metrics.Accuracy,
            [$"{result.Split}_macro_f1"] = result.Metrics.MacroF1,
            ["validation_macro_f1"] = _state!.BestScore,
        };
        var info = OnnxModelInfo.For(model, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(RunDirectory))),
            metrics, _state.TrainFingerprint, _time.GetUtcNow());
        var bytes = OnnxExporter.Export(model, info);
        var parity = OnnxParityGate.Enforce(model, bytes, Probe(evaluationData), _options.OnnxParityTolerance);
        var path = Path.Combine(RunDirectory, RunFiles.Onnx);
        File.WriteAllBytes(path, bytes);
        log.Write($"model.onnx: {bytes.Length:N0} bytes; parity gate passed: {parity.Summary()}");
        return path;
    }

    /// <summary>The parity gate's probe: the first image of each class present in the data, and a few noise images.</summary>
    private static ProbeBatch Probe(FaceDataset data)
    {
        var firsts = Enumerable.Range(0, EmotionLabels.Count)
            .Select(c => data.Samples.FirstOrDefault(s => s.Label == c)).OfType<FaceSample>().ToList();
        var noise = ProbeBatch.Noise(3, FaceImage.PixelCount);
        return new ProbeBatch([.. firsts.SelectMany(s => s.Pixels), .. noise.Pixels], [.. firsts.Select(s => s.Source), .. noise.Sources]);
    }

    private void LogData(RunLog log, FaceDataSplits data)
    {
        static string Counts(FaceDataset d) => string.Join(", ", d.ClassCounts().Select((c, i) => $"{EmotionLabels.Names[i]} {c}"));
        log.Write($"data: {DataPath}");
        log.Write($"train: {data.Train.Count} images ({Counts(data.Train)})");
        log.Write($"validation: {data.Validation.Count} images, {data.ValidationOrigin}");
        if (data.Test is { } test) log.Write($"test: {test.Count} images");
        foreach (var set in new[] { data.Train, data.Validation, data.Test })
        {
            if (set is not { Skipped.Count: > 0 }) continue;
            log.Write($"skipped {set.Skipped.Count} unreadable files in {set.Name}, e.g. {set.Skipped[0]}");
        }
    }

    private void Initialise(RunLog log, FaceNetwork network)
    {
        if (network is Cnn48 cnn)
        {
            log.Write("recipe: scratch (every layer trains, from He initialisation)");
            log.Write(string.Create(CultureInfo.InvariantCulture,
                $"model: Cnn48 (widths {string.Join("-", cnn.Widths)}, depths {string.Join("-", cnn.Depths)}, hidden {cnn.Hidden}, dropout {cnn.Dropout}), {FerNetParameters.Count(cnn):N0} parameters, test-time flip {cnn.TestTimeFlip}, batch {_options.BatchSize}, seed {_options.Seed}"));
            return;
        }
        var model = (FerNet)network;
        if (_options.WeightsPath is { } weights)
        {
            var import = TorchvisionWeights.ImportBackbone(model, weights, _logger);
            log.Write($"initialisation: backbone from {weights} ({import.LoadedTensors} tensors, {import.LoadedValues:N0} values, {import.Format}, sha256 {import.Sha256[..12]}{(import.IsOfficial ? ", torchvision's official ImageNet file" : "")})");
            foreach (var warning in import.Warnings) log.Write($"initialisation warning: {warning}");
        }
        var fromRandom = _options.EffectiveRecipe == TrainingRecipe.Scratch && _options.WeightsPath is null;
        if (fromRandom) model.ZeroInitialiseResidualBranches();
        log.Write(_options.EffectiveRecipe == TrainingRecipe.Scratch
            ? $"recipe: scratch (every layer trains; {(fromRandom ? "random initialisation, residual branches zero-initialised" : "starting from the imported backbone")})"
            : _options.WeightsPath is null
                ? "recipe: transfer WITHOUT pretrained weights: the frozen backbone is random (use --weights FILE, or --recipe scratch)"
                : "recipe: transfer (phase 1 head only on the frozen ImageNet backbone, phase 2 fine-tunes the last tensors)");
        log.Write(string.Create(CultureInfo.InvariantCulture,
            $"model: FerNet (EfficientNetV2-S + seed head), backbone size {_options.ImageSize}, stochastic depth {_options.StochasticDepth}, test-time flip {model.TestTimeFlip}, batch {_options.BatchSize}, seed {_options.Seed}"));
    }

    /// <summary>The best checkpoint on composite frames of validation faces, through the shipped detector and framing; a
    /// detector that cannot be loaded costs the report its line, not the run.</summary>
    private CompositeScore? MeasureComposite(FaceNetwork model, FaceDataset validation, RunLog log, CancellationToken cancellationToken)
    {
        try
        {
            var score = CompositeScore.Measure(validation, faces => ModelEvaluator.Predict(model, faces, _options.BatchSize, cancellationToken));
            log.Write(score.Describe()[2..]);
            return score;
        }
        catch (FaceDetectorException e)
        {
            log.Write($"composite frames not measured: {e.Message}");
            return null;
        }
    }

    /// <summary>The held-out feedback labels' accuracy (null without feedback or with none held out), logged and put in
    /// the data manifest beside the snapshot's hash.</summary>
    private double? ScoreFeedback(FaceNetwork model, RunLog log, CancellationToken cancellationToken)
    {
        if (_feedback is not { HeldOut.Count: > 0 } feedback) return null;
        var probabilities = ModelEvaluator.Predict(model, feedback.HeldOut, _options.BatchSize, cancellationToken);
        var labels = feedback.HeldOut.Samples.Select(s => s.Label).ToArray();
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
            if (Array.IndexOf(probabilities[i], probabilities[i].Max()) == labels[i]) correct++;
        var accuracy = (double)correct / labels.Length;
        log.Write($"feedback held out ({labels.Length} labels of {feedback.Hash}): accuracy {accuracy:P2}");
        WriteDataManifest(_state!.TrainFingerprint, accuracy);
        return accuracy;
    }

    private void WriteDataManifest(string fingerprint, double? feedbackAccuracy)
    {
        var manifest = new Dictionary<string, object?>
        {
            ["data"] = DataPath,
            ["trainFingerprint"] = fingerprint,
            ["feedback"] = _feedback is not { } f ? null : new Dictionary<string, object?>
            {
                ["hash"] = f.Hash,
                ["path"] = _options.FeedbackPath,
                ["train"] = f.Train.Count,
                ["heldOut"] = f.HeldOut.Count,
                ["heldOutAccuracy"] = feedbackAccuracy,
            },
        };
        File.WriteAllText(Path.Combine(RunDirectory, RunFiles.DataManifest),
            System.Text.Json.JsonSerializer.Serialize(manifest, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private string Summary(FaceDataSplits data, List<string> cacheNotes, TimeSpan elapsed, CompositeScore? composite)
    {
        var text = new StringBuilder();
        text.Append("## Run\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- model `{ModelFamilies.Id(_options.Family)}`, recipe `{_options.EffectiveRecipe.ToString().ToLowerInvariant()}`, weights `{_options.WeightsPath ?? "none"}`, image size {(_options.Family == ModelFamily.Cnn48 ? Cnn48.Size : _options.ImageSize)}, test-time flip {_options.UsesTestTimeFlip}, batch {_options.BatchSize}, seed {_options.Seed}\n");
        text.Append(CultureInfo.InvariantCulture, $"- data: {data.Train.Count} train, {data.Validation.Count} validation ({data.ValidationOrigin}), {data.Test?.Count ?? 0} test\n");
        text.Append(CultureInfo.InvariantCulture, $"- best checkpoint: phase {_state!.BestPhase}, epoch {_state.BestEpoch} (validation macro-F1 {_state.BestScore:F4})\n");
        foreach (var note in cacheNotes) text.Append(CultureInfo.InvariantCulture, $"- feature cache, {note}\n");
        text.Append(CultureInfo.InvariantCulture, $"- wall time {elapsed:hh\\:mm\\:ss} on {TorchRuntime.Initialize().Describe()}\n");
        if (composite is not null) text.Append(composite.Describe()).Append('\n');
        if (_feedback is { } feedback)
            text.Append(CultureInfo.InvariantCulture, $"- feedback {feedback.Hash}: {feedback.Train.Count} labels trained on, {feedback.HeldOut.Count} held out (scored in {RunFiles.DataManifest} and {RunFiles.Log})\n");
        return text.ToString();
    }

    private static string Describe(AugmentationOptions? a) => a switch
    {
        null => "none",
        { IsFlipOnly: true } => a.HorizontalFlip ? "horizontal flip" : "none",
        { Framing: { } f } => string.Create(CultureInfo.InvariantCulture,
            $"flip {a.HorizontalFlip}, rotation +-{a.MaxRotationDegrees} deg, the detector's framing error (centre sd {f.CentreSdX}/{f.CentreSdY} of the side, scale sd {f.LogScaleSd} in ln), brightness +-{a.Brightness}, contrast +-{a.Contrast}{BlurAndErasing(a)}"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"flip {a.HorizontalFlip}, rotation +-{a.MaxRotationDegrees} deg, shift +-{a.MaxShiftFraction:P0}, scale {a.MinScale}-{a.MaxScale}, brightness +-{a.Brightness}, contrast +-{a.Contrast}{BlurAndErasing(a)}"),
    };

    private static string BlurAndErasing(AugmentationOptions a) => a.BlurProbability == 0 && a.EraseProbability == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture,
            $", Gaussian blur {a.BlurProbability:P0} (sigma 0.1-{a.MaxBlurSigma}), random erasing {a.EraseProbability:P0}");

    private static string Mebibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB");
}
