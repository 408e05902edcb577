using System.Diagnostics;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Prediction;
using Fer.Inference.Telemetry;

namespace Fer.Inference.Rollouts;

/// <summary>
/// Keeps <see cref="CandidateModel"/> equal to the source's rollout, on the production reconciler's beat (start-up, every
/// announcement, the periodic reconcile): loads the candidate when a rollout starts (no request is routed to it until it
/// is loaded), follows its steps, and drops it when the rollout ends. A candidate that fails to load is refused until
/// another rollout names other bytes, and the refusal is reported as the candidate's evidence (the decider rolls it
/// back); production serves on whatever happens here.
/// </summary>
public sealed partial class CandidateReconciler(
    IModelSource source,
    ModelLoader loader,
    CandidateModel candidate,
    InferenceTelemetry telemetry,
    ILogger<CandidateReconciler> logger)
{
    private static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private string? refusedKey;
    private string? refusedBecause;

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        RolloutTarget? wanted;
        try
        {
            wanted = await source.GetRolloutAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Redis unreachable, or its call timed out (a cancelled task that is not ours).
            LogUnreachable(logger, e.Message, candidate.Target?.CandidateVersion ?? "none");
            return; // keep serving the rollout as last known: the source will say when it changes
        }

        if (wanted is null)
        {
            if (candidate.Target is null && candidate.Refusal is null && candidate.Holder.Current is null) return;
            candidate.Serve(null);
            await DrainAsync(cancellationToken);
            var ended = candidate.Holder.Clear();
            LogEnded(logger, ended?.Version ?? "none");
            MemoryRelease.AfterBurst();
            return;
        }

        if (candidate.Holder.Current?.SourceKey != wanted.CandidateKey)
        {
            if (wanted.CandidateKey == refusedKey)
            {
                candidate.Refuse(wanted, refusedBecause ?? "refused"); // follows the rollout's step, so the report lands where the decider reads
                return;
            }
            candidate.Serve(null);
            try
            {
                var package = await source.FetchAsync(wanted.CandidateKey, cancellationToken);
                var model = await Task.Run(() => loader.Load(package, cancellationToken), cancellationToken);
                candidate.Holder.Swap(model);
                telemetry.Swaps.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, model.Version));
                LogLoaded(logger, model.Version, wanted.Mode.ToString().ToLowerInvariant(), wanted.Share);
            }
            catch (ModelLoadException e)
            {
                refusedKey = wanted.CandidateKey;
                refusedBecause = e.Message;
                candidate.Refuse(wanted, e.Message);
                telemetry.FailedLoads.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Reason, e.Reason));
                LogRefused(logger, wanted.CandidateKey, e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFetchFailed(logger, wanted.CandidateKey, e.Message);
                return;
            }
        }
        candidate.Serve(wanted);
    }

    /// <summary>Lets requests routed to the candidate a moment before the rollout ended finish on it (cleared under them,
    /// they would get a 503): such a request reaches the candidate's queue within microseconds of being routed, and its
    /// batch takes the model a few milliseconds (the batcher's MaxDelay) after leaving the queue. So: a grace period,
    /// repeated until the queue is empty, for at most <see cref="DrainLimit"/>.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        do await Task.Delay(DrainGrace, cancellationToken);
        while (candidate.Batcher.QueueDepth > 0 && Stopwatch.GetElapsedTime(started) < DrainLimit);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Candidate {Version} loaded beside production: {Mode} for {Share:P0} of requests")]
    private static partial void LogLoaded(ILogger logger, string version, string mode, double share);

    [LoggerMessage(Level = LogLevel.Information, Message = "The rollout ended; candidate {Version} is out of service")]
    private static partial void LogEnded(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Candidate {Key} was refused ({Error}); production alone answers, and the refusal is reported to the rollout's decider")]
    private static partial void LogRefused(ILogger logger, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching candidate {Key} failed ({Error}); will retry")]
    private static partial void LogFetchFailed(ILogger logger, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the rollout ({Error}); still serving candidate {Version} as last known")]
    private static partial void LogUnreachable(ILogger logger, string error, string version);
}
