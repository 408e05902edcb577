using System.Diagnostics;
using System.Threading.Channels;
using Fer.Inference.Onnx;
using Fer.Inference.Prediction;
using Fer.Inference.Rollouts;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Models;

/// <summary>
/// Keeps the served model equal to the source's production model, and the candidate equal to its rollout (<see cref="CandidateReconciler"/>): on start, on every promotion announcement, and on a
/// periodic reconcile (a replica that missed a message or started late catches up). A version that fails to load is
/// refused (logged, counted) and the old model keeps serving; it is retried only when it is announced again. A source
/// that cannot be reached changes nothing but the health description.
/// </summary>
public sealed partial class ModelReloader(
    IModelSource source,
    ModelLoader loader,
    ModelHolder holder,
    CandidateReconciler candidates,
    InferenceTelemetry telemetry,
    IOptions<ReloadOptions> options,
    TimeProvider time,
    ILogger<ModelReloader> logger) : BackgroundService
{
    private readonly Channel<string> announcements = Channel.CreateBounded<string>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly SemaphoreSlim reconcileLock = new(1, 1);
    private volatile ReloadStatus status = ReloadStatus.Initial;

    public ReloadStatus Status => status;

    public string SourceDescription => source.Description;

    /// <summary>Why no model serves yet, in words fit for a 503 and for /health.</summary>
    public string DescribeNotReady()
    {
        var current = status;
        return current switch
        {
            { Loading: { } loading } => $"the first model ({loading}) is still loading",
            { RefusedKey: { } key } => $"the production model {key} was refused: {current.RefusedBecause}",
            { SourceProblem: { } problem } => $"no model has been loaded yet: {problem}",
            { Reconciled: true, ProductionKey: null } => "no model has been published yet",
            _ => "no model has been loaded yet",
        };
    }

    /// <summary>Runs one reconcile now (tests, and the admin path); concurrent callers wait for each other.</summary>
    public async Task ReconcileNowAsync(string? announced, CancellationToken cancellationToken)
    {
        await reconcileLock.WaitAsync(cancellationToken);
        try
        {
            await ReconcileAsync(announced, cancellationToken);
            await candidates.ReconcileAsync(cancellationToken);
        }
        finally
        {
            reconcileLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(logger, source.Description, options.Value.ReconcileInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!status.Subscribed) await TrySubscribeAsync(stoppingToken);
            string? announced = null;
            while (announcements.Reader.TryRead(out var key)) announced = key;
            try
            {
                await ReconcileNowAsync(announced, stoppingToken);
                await WaitForNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Anything else (a Redis call timing out surfaces as a cancelled task) must not stop the host: the
                // replica keeps serving what it holds and tries again on the next beat.
                LogSourceUnreachable(logger, source.Description, holder.Current?.Version ?? "none", e.Message);
                await WaitForNextAsync(stoppingToken);
            }
        }
    }

    private async Task TrySubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await source.SubscribeAsync(key => announcements.Writer.TryWrite(key), cancellationToken);
            status = status with { Subscribed = true };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSubscribeFailed(logger, source.Description, e.Message);
        }
    }

    private async Task WaitForNextAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var announcement = announcements.Reader.WaitToReadAsync(wait.Token).AsTask();
        var tick = Task.Delay(options.Value.ReconcileInterval, time, wait.Token);
        await Task.WhenAny(announcement, tick);
        await wait.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task ReconcileAsync(string? announced, CancellationToken cancellationToken)
    {
        string? key;
        try
        {
            key = await source.GetProductionKeyAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status = status with { SourceProblem = $"{source.Description} is not reachable: {e.Message}" };
            LogSourceUnreachable(logger, source.Description, holder.Current?.Version ?? "none", e.Message);
            return;
        }
        status = status with { ProductionKey = key, SourceProblem = null, Reconciled = true };
        // Keys carry the content's checksum (the registry's are version@sha256), so a version name that comes back with
        // other bytes is a different key and is loaded.
        if (key is null || holder.Current?.SourceKey == key) return;
        if (key == status.RefusedKey && !WasAnnounced(key, announced)) return;

        using var activity = InferenceTelemetry.ActivitySource.StartActivity(TelemetryTags.ModelLoadSpan);
        activity?.SetTag(TelemetryTags.ModelVersion, key);
        status = status with { Loading = key };
        var started = time.GetTimestamp();
        try
        {
            var package = await source.FetchAsync(key, cancellationToken);
            var model = await Task.Run(() => loader.Load(package, cancellationToken), cancellationToken);
            var previous = holder.Swap(model);
            telemetry.Swaps.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, model.Version));
            status = status with { Loading = null, RefusedKey = null, RefusedBecause = null };
            LogSwapped(logger, model.Version, previous?.Version ?? "none", time.GetElapsedTime(started).TotalMilliseconds);
            // The old session's arenas and the fetched bytes are freed now or at the end of the last batch on it; hand
            // what is free back, so that swaps do not add up in resident memory (swaps are rare, a collection cheap).
            MemoryRelease.AfterBurst();
        }
        catch (ModelLoadException e)
        {
            status = status with { Loading = null, RefusedKey = key, RefusedBecause = e.Message };
            telemetry.FailedLoads.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Reason, e.Reason));
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogRefused(logger, key, e.Reason, e.Message, holder.Current?.Version ?? "none");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The source failed part-way (connection lost): not the model's fault, so try again next time.
            status = status with { Loading = null, SourceProblem = $"fetching {key} failed: {e.Message}" };
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogFetchFailed(logger, key, e.Message, holder.Current?.Version ?? "none");
        }
    }

    /// <summary>Announcements name the version; keys may add the checksum ("version@sha").</summary>
    private static bool WasAnnounced(string key, string? announced) =>
        announced is not null && (key == announced || key.StartsWith(announced + "@", StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the production model of {Source}; reconciling every {Interval}")]
    private static partial void LogStarting(ILogger logger, string source, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot subscribe to promotions from {Source} ({Error}); the periodic reconcile still runs")]
    private static partial void LogSubscribeFailed(ILogger logger, string source, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} is not reachable ({Error}); still serving {Serving}")]
    private static partial void LogSourceUnreachable(ILogger logger, string source, string serving, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Version} is in service (replaced {Previous}; fetch, verify, load and warm-up took {Milliseconds:F0} ms)")]
    private static partial void LogSwapped(ILogger logger, string version, string previous, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Key} was refused ({Reason}): {Error}; still serving {Serving}")]
    private static partial void LogRefused(ILogger logger, string key, string reason, string error, string serving);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching model {Key} failed ({Error}); still serving {Serving}, will retry")]
    private static partial void LogFetchFailed(ILogger logger, string key, string error, string serving);
}
