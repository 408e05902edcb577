using System.Diagnostics;
using System.Text.Json;
using Fer.Contracts;
using Fer.Registry;
using Fer.Registry.Model;

namespace Fer.Trainer.Jobs;

/// <summary>
/// One job from start to end: finds the data, trains, publishes the ONNX with its metrics, applies the promotion
/// policy. Turns the trainer's progress into the job's snapshot, SSE events, spans, metrics and throttled saves.
/// </summary>
internal sealed class TrainJobExecution : IProgress<TrainProgress>
{
    private const string Training = "training";
    private const string Validating = "validating";
    private const string Caching = "caching";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TrainJobServices services;
    private readonly CancellationTokenSource cancellation = new();
    private readonly Lock gate = new();
    private readonly Dictionary<string, double> stageSeconds = new(StringComparer.Ordinal);
    private readonly ActivityContext requestContext;
    private TrainJob snapshot;
    private Task saving = Task.CompletedTask;
    private long lastSave;
    private string? cancelReason;
    private bool cancelIsInterruption;

    private string? currentStageKey;
    private long currentStageStarted;
    private Activity? jobSpan;
    private Activity? stageSpan;
    private Activity? phaseSpan;
    private Activity? epochSpan;
    private string? openStage;
    private int openPhase;
    private (int Phase, int Epoch) openEpoch;
    private (int Phase, int Epoch) closedEpoch;

    public TrainJobExecution(TrainJob queued, TrainJobServices services, ActivityContext requestContext)
    {
        snapshot = queued;
        this.services = services;
        this.requestContext = requestContext;
        Events = new TrainJobEventStream(queued);
    }

    public string Id => snapshot.Id;

    public TrainJobEventStream Events { get; }

    public TrainJob Snapshot
    {
        get
        {
            lock (gate) return snapshot;
        }
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start()
    {
        // The job is its own trace (linked to the request that started it), so no ambient activity may flow in.
        using (ExecutionContext.SuppressFlow())
            Completion = Task.Run(RunAsync);
    }

    /// <summary>Requests cancellation; false when the job already ended.</summary>
    public bool Cancel(string reason, bool interruption = false)
    {
        lock (gate)
        {
            if (snapshot.State.IsFinal()) return false;
            cancelReason ??= reason;
            cancelIsInterruption |= interruption;
        }
        cancellation.Cancel();
        return true;
    }

    public void Report(TrainProgress progress)
    {
        TrainJob updated;
        lock (gate)
        {
            if (snapshot.State.IsFinal()) return;
            UpdateSpans(progress);
            EnterStage(StageKey(progress));
            updated = snapshot = snapshot with
            {
                Stage = progress.Stage,
                Phase = progress.Phase,
                Epoch = progress.Epoch,
                Epochs = progress.Epochs,
                Batch = progress.Batch,
                Batches = progress.Batches,
                Loss = double.IsFinite(progress.Loss) ? progress.Loss : null,
                ImagesPerSecond = double.IsFinite(progress.ImagesPerSecond) && progress.ImagesPerSecond > 0 ? progress.ImagesPerSecond : null,
                Message = progress.Message ?? snapshot.Message,
                Latest = progress.CompletedEpoch ?? snapshot.Latest,
                CompletedEpochs = snapshot.CompletedEpochs + (progress.CompletedEpoch is null ? 0 : 1),
                Timings = UpdatedTimings(snapshot.Timings),
            };
            Events.Publish(progress.CompletedEpoch is null ? TrainJobEventStream.ProgressEvent : TrainJobEventStream.EpochEvent, updated);
        }

        services.Metrics.Progress(progress);
        if (progress.CompletedEpoch is { } epoch)
        {
            services.Metrics.EpochCompleted(epoch);
            services.Logger.Epoch(Id, epoch.Phase, epoch.Epoch, epoch.TrainLoss, epoch.ValidationLoss, epoch.ValidationAccuracy,
                epoch.ValidationMacroF1, epoch.Seconds);
            QueueSave();
        }
        else if (services.Time.GetElapsedTime(Interlocked.Read(ref lastSave)) >= services.Options.ProgressSaveInterval)
        {
            QueueSave();
        }
    }

    private async Task RunAsync()
    {
        var started = services.Time.GetTimestamp();
        var links = requestContext == default ? null : new[] { new ActivityLink(requestContext) };
        jobSpan = TrainerTelemetry.Source.StartActivity(TrainerTelemetry.JobSpan, ActivityKind.Internal, default(ActivityContext), links: links);
        jobSpan?.SetTag(TrainerTelemetry.JobIdTag, Id);
        services.Metrics.JobStarted();

        TrainJob final;
        try
        {
            var token = cancellation.Token;
            Update(job => job with
            {
                State = TrainJobState.Running,
                Stage = "loading",
                Timings = job.Timings with { StartedAt = services.Time.GetUtcNow(), UpdatedAt = services.Time.GetUtcNow() },
            });
            EnterStageLocked("loading");
            await SaveNowAsync();
            token.ThrowIfCancellationRequested();

            var dataPath = services.Data.Locate(snapshot.Options.DataPath);
            Update(job => job with { DataPath = dataPath });
            services.Logger.Running(Id, dataPath);

            var runDirectory = Path.Combine(services.Paths.RunsDirectory, Id);
            Directory.CreateDirectory(runDirectory);
            var model = await Task.Run(
                () => services.Trainer.TrainAsync(snapshot.Options, dataPath, runDirectory, this, token), token);
            token.ThrowIfCancellationRequested();

            // From here on the job finishes its work: a cancel now would leave a published version behind a "cancelled" job.
            var result = await PublishAsync(model);
            final = Finish(TrainJobState.Succeeded, job => job with { Result = result, Stage = null });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var (reason, interrupted) = CancelReason();
            final = Finish(interrupted ? TrainJobState.Failed : TrainJobState.Cancelled, job => job with { Error = reason });
        }
        catch (Exception e)
        {
            services.Logger.Failed(e, Id, e.Message);
            jobSpan?.AddException(e);
            final = Finish(TrainJobState.Failed, job => job with { Error = e.Message });
        }

        // The final state goes to the stream as soon as GET /train/{id} can see it (the snapshot), not after the save:
        // a reader must never get an older state from the stream than from the snapshot.
        Events.Complete(final);
        await SaveNowAsync();
        services.Metrics.JobEnded(final.State);
        services.Logger.Ended(Id, final.State.Name(), services.Time.GetElapsedTime(started).TotalSeconds);
        jobSpan?.SetTag(TrainerTelemetry.StateTag, final.State.Name());
        if (final.State != TrainJobState.Succeeded) jobSpan?.SetStatus(ActivityStatusCode.Error, final.Error);
        jobSpan?.Dispose();
        cancellation.Dispose();
    }

    private async Task<TrainJobResult> PublishAsync(TrainedModel model)
    {
        Report(new TrainProgress("publishing", 0, 0, 0, 0, 0, 0, 0, "publishing the model to the registry"));
        ModelVersionInfo info;
        using (var span = StartSpan(TrainerTelemetry.PublishSpan, jobSpan))
        {
            info = await services.Registry.PublishAsync(new ModelPublishRequest
            {
                Onnx = model.Onnx,
                MetricsJson = PublicPaths.Of(model.Metrics).ToJson(),
                ImageSize = model.ImageSize,
                DatasetFingerprint = model.DatasetFingerprint,
                TrainingOptionsJson = JsonSerializer.Serialize(new { jobId = Id, options = snapshot.Public().Options, data = PublicPaths.Name(snapshot.DataPath) }, Json),
            }, CancellationToken.None);
            span?.SetTag(TrainerTelemetry.VersionTag, info.Version);
        }
        jobSpan?.SetTag(TrainerTelemetry.VersionTag, info.Version);

        Report(new TrainProgress("promoting", 0, 0, 0, 0, 0, 0, 0, $"published {info.Version}"));
        var (promote, reason) = await DecidePromotionAsync(snapshot.Options.Promote, model.ValidationMacroF1);
        if (promote) await services.Registry.PromoteAsync(info.Version, $"training job {Id}: {reason}", CancellationToken.None);
        else if (snapshot.Options.Promote == PromotionPolicy.Rollout) reason = await StartRolloutAsync(info.Version);
        services.Logger.Published(Id, info.Version, model.ValidationMacroF1, promote, reason);

        return new TrainJobResult
        {
            Version = info.Version,
            Promoted = promote,
            PromotionReason = reason,
            ValidationMacroF1 = model.ValidationMacroF1,
            Metrics = model.Metrics,
            Sha256 = info.Sha256,
            SizeBytes = info.SizeBytes,
        };
    }

    /// <summary>Puts the version in rollout; a refusal (another rollout runs, say) leaves it published, and says why.</summary>
    private async Task<string> StartRolloutAsync(string version)
    {
        try
        {
            var rollout = await services.Rollouts.StartAsync(version, reason: $"training job {Id}");
            return $"in rollout: {rollout.Mode.ToString().ToLowerInvariant()} for {rollout.Share:P0} of requests first";
        }
        catch (Fer.Registry.Errors.ModelRegistryException e)
        {
            return $"published, not in rollout: {e.Message}";
        }
    }

    private async Task<(bool Promote, string Reason)> DecidePromotionAsync(PromotionPolicy policy, double macroF1)
    {
        var production = policy == PromotionPolicy.Rollout ? await services.Registry.GetProductionVersionAsync() : null;
        switch (policy)
        {
            case PromotionPolicy.Rollout:
                return production is null ? (true, "no production version yet") : (false, "promotion policy 'rollout'");
            case PromotionPolicy.Always:
                return (true, "promotion policy 'always'");
            case PromotionPolicy.Never:
                return (false, "promotion policy 'never'");
        }
        production = await services.Registry.GetProductionVersionAsync();
        if (production is null) return (true, "no production version yet");
        var info = await services.Registry.TryGetMetadataAsync(production);
        var productionF1 = info is null ? null : ModelMetrics.TryParse(info.MetricsJson)?.ValMacroF1;
        if (productionF1 is null)
            return (false, $"production version {production} has no {ModelMetrics.ValidationMacroF1Key} to compare with");
        return macroF1 > productionF1
            ? (true, $"validation macro-F1 {macroF1:F4} beats production {production}'s {productionF1:F4}")
            : (false, $"validation macro-F1 {macroF1:F4} does not beat production {production}'s {productionF1:F4}");
    }

    private TrainJob Finish(TrainJobState state, Func<TrainJob, TrainJob> change)
    {
        lock (gate)
        {
            EnterStage(null);
            EndSpan(ref epochSpan);
            EndSpan(ref stageSpan);
            EndSpan(ref phaseSpan);
            var now = services.Time.GetUtcNow();
            var changed = change(snapshot);
            snapshot = changed with
            {
                State = state,
                Timings = UpdatedTimings(changed.Timings) with { FinishedAt = now },
            };
            return snapshot;
        }
    }

    private (string Reason, bool Interrupted) CancelReason()
    {
        lock (gate) return (cancelReason ?? "cancelled", cancelIsInterruption);
    }

    private void Update(Func<TrainJob, TrainJob> change)
    {
        TrainJob updated;
        lock (gate)
        {
            var changed = change(snapshot);
            updated = snapshot = changed with { Timings = UpdatedTimings(changed.Timings) };
            Events.Publish(TrainJobEventStream.StateEvent, updated);
        }
    }

    private TrainJobTimings UpdatedTimings(TrainJobTimings timings)
    {
        var now = services.Time.GetUtcNow();
        var seconds = new Dictionary<string, double>(stageSeconds, StringComparer.Ordinal);
        if (currentStageKey is not null)
            seconds[currentStageKey] = seconds.GetValueOrDefault(currentStageKey) + services.Time.GetElapsedTime(currentStageStarted).TotalSeconds;
        return timings with
        {
            UpdatedAt = now,
            RunningSeconds = timings.StartedAt is { } started ? (now - started).TotalSeconds : null,
            StageSeconds = seconds,
        };
    }

    private static string StageKey(TrainProgress progress) =>
        progress.Stage is Training or Validating && progress.Phase > 0 ? $"phase{progress.Phase}" : progress.Stage;

    private void EnterStageLocked(string? key)
    {
        lock (gate) EnterStage(key);
    }

    private void EnterStage(string? key)
    {
        if (key == currentStageKey) return;
        if (currentStageKey is not null)
            stageSeconds[currentStageKey] = stageSeconds.GetValueOrDefault(currentStageKey) + services.Time.GetElapsedTime(currentStageStarted).TotalSeconds;
        currentStageKey = key;
        currentStageStarted = services.Time.GetTimestamp();
    }

    // Spans: a phase span per phase; an epoch span per epoch inside it; a stage span for everything else (loading,
    // caching, evaluating, exporting, publishing), inside the open phase when there is one.
    private void UpdateSpans(TrainProgress progress)
    {
        if (progress.Stage is Training or Validating && progress.Phase > 0)
        {
            if (phaseSpan is null || openPhase != progress.Phase)
            {
                EndSpan(ref epochSpan);
                EndSpan(ref stageSpan);
                EndSpan(ref phaseSpan);
                phaseSpan = StartSpan(TrainerTelemetry.PhaseSpan, jobSpan)?.SetTag(TrainerTelemetry.PhaseTag, progress.Phase);
                openPhase = progress.Phase;
            }
            EndSpan(ref stageSpan);
            openStage = null;
            var epoch = (progress.Phase, progress.Epoch);
            if (progress.Epoch > 0 && epoch != openEpoch && epoch != closedEpoch)
            {
                EndSpan(ref epochSpan);
                epochSpan = StartSpan(TrainerTelemetry.EpochSpan, phaseSpan)
                    ?.SetTag(TrainerTelemetry.PhaseTag, progress.Phase)
                    .SetTag(TrainerTelemetry.EpochTag, progress.Epoch);
                openEpoch = epoch;
            }
        }
        else if (progress.Stage != openStage)
        {
            EndSpan(ref epochSpan);
            EndSpan(ref stageSpan);
            if (progress.Stage != Caching) EndSpan(ref phaseSpan);
            stageSpan = StartSpan(TrainerTelemetry.StageSpan, phaseSpan ?? jobSpan)?.SetTag(TrainerTelemetry.StageTag, progress.Stage);
            if (stageSpan is not null) stageSpan.DisplayName = $"{TrainerTelemetry.StageSpan} {progress.Stage}";
            openStage = progress.Stage;
        }

        if (progress.CompletedEpoch is { } completed && epochSpan is not null)
        {
            epochSpan.SetTag("fer.train.loss", completed.TrainLoss)
                .SetTag("fer.train.accuracy", completed.TrainAccuracy)
                .SetTag("fer.train.val_loss", completed.ValidationLoss)
                .SetTag("fer.train.val_accuracy", completed.ValidationAccuracy)
                .SetTag("fer.train.val_macro_f1", completed.ValidationMacroF1)
                .SetTag("fer.train.images_per_second", completed.ImagesPerSecond);
            closedEpoch = (completed.Phase, completed.Epoch);
            openEpoch = default;
            EndSpan(ref epochSpan);
        }
    }

    // Starts a child span without making it the ambient activity of the trainer's thread.
    private static Activity? StartSpan(string name, Activity? parent)
    {
        if (parent is null) return null;
        var previous = Activity.Current;
        var span = TrainerTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context);
        Activity.Current = previous;
        return span;
    }

    private static void EndSpan(ref Activity? span)
    {
        if (span is null) return;
        var previous = Activity.Current;
        span.Dispose();
        Activity.Current = previous == span ? null : previous;
        span = null;
    }

    private void QueueSave()
    {
        Interlocked.Exchange(ref lastSave, services.Time.GetTimestamp());
        lock (gate) saving = saving.ContinueWith(_ => SaveLatestAsync(), TaskScheduler.Default).Unwrap();
    }

    // Saves in order after every save already queued.
    private Task SaveNowAsync()
    {
        lock (gate) return saving = saving.ContinueWith(_ => SaveLatestAsync(), TaskScheduler.Default).Unwrap();
    }

    private async Task SaveLatestAsync()
    {
        try
        {
            Interlocked.Exchange(ref lastSave, services.Time.GetTimestamp());
            await services.Store.SaveAsync(Snapshot, services.Instance);
        }
        catch (Exception e)
        {
            services.Logger.SaveFailed(e, Id);
        }
    }
}
