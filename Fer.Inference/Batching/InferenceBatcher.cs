using System.Diagnostics;
using System.Threading.Channels;
using Fer.Imaging;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Batching;

/// <summary>
/// Dynamic batching: requests wait in a bounded queue (full: refused at once); lanes (<see cref="Lanes"/>, by default one
/// a core) take turns to gather them into a batch of at most <see cref="BatchingOptions.MaxBatchSize"/> images, waiting at
/// most <see cref="BatchingOptions.MaxDelay"/> after the first one was queued while other requests are on their way
/// (<see cref="ExpectArrival"/>) and no other lane is free, and each lane runs its batches on the model in service on a
/// thread of its own, so one lane gathers while others compute. Requests whose client gave up are dropped before they
/// cost model time. Decoding happens before a request is submitted, on the request's own thread. With
/// <see cref="BatchingOptions.PinLanes"/> lane k runs on the k-th core the process may use.
/// </summary>
public sealed partial class InferenceBatcher : BackgroundService
{
    private readonly ModelHolder holder;
    private readonly InferenceTelemetry telemetry;
    private readonly BatchingOptions settings;
    private readonly TimeProvider time;
    private readonly ILogger<InferenceBatcher> logger;
    private readonly Channel<BatchRequest> queue;
    private int depth;
    private int arriving;
    private int pinningRefused;
    private int lanesWaitingToGather;
    private long busyTicks;

    /// <summary>One lane gathers at a time, so each arrival joins the batch being gathered instead of a second, partial
    /// one that would wait for company beside it while its core stood idle (two lanes gathering at once with the 2 ms
    /// delay: 76-77 % of raw ORT at concurrency 32, 82-84 % with a 0.5 ms delay; in turn, with 2 ms: 80-84 %; each about
    /// a point high, see Fer.Benchmarks/InferenceBenchmarkResults.md).</summary>
    private readonly SemaphoreSlim gatherTurn = new(1, 1);

    /// <summary>The request that did not fit in the last batch gathered; it opens the next one (touched only by the lane
    /// whose turn it is to gather).</summary>
    private BatchRequest? carried;

    /// <summary>Cancels the gathering lane's wait for company; set only while that wait lasts.</summary>
    private CancellationTokenSource? companyWait;

    public InferenceBatcher(ModelHolder holder, InferenceTelemetry telemetry, IOptions<BatchingOptions> options, IOptions<OnnxOptions> onnx,
        TimeProvider time, ILogger<InferenceBatcher> logger)
    {
        this.holder = holder;
        this.telemetry = telemetry;
        this.time = time;
        this.logger = logger;
        settings = options.Value;
        Lanes = settings.LanesFor(onnx.Value.IntraOpThreads, Environment.ProcessorCount);
        queue = Channel.CreateBounded<BatchRequest>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            SingleReader = Lanes == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        telemetry.ObserveQueueDepth(holder.Role, () => QueueDepth);
    }

    public int QueueDepth => Volatile.Read(ref depth);

    public int MaxBatchSize => settings.MaxBatchSize;

    /// <summary>How many batches may run at once (<see cref="BatchingOptions.LanesFor"/>).</summary>
    public int Lanes { get; }

    /// <summary>The model time of all batches run so far, summed over the lanes (how busy they are, for shadow admission).</summary>
    public TimeSpan BusyTime => TimeSpan.FromTicks(Interlocked.Read(ref busyTicks));

    /// <summary>Announces a request that will be submitted soon; dispose it when the request is submitted or fails.</summary>
    public BatchArrival ExpectArrival()
    {
        Interlocked.Increment(ref arriving);
        return new BatchArrival(() => Interlocked.Decrement(ref arriving));
    }

    /// <summary>Queues one request's canonical face crops (48x48 each) and completes when its batch has run.</summary>
    /// <exception cref="QueueFullException">The queue is at capacity.</exception>
    public Task<BatchResult> SubmitAsync(float[][] images, CancellationToken cancellationToken)
    {
        if (images.Length == 0 || images.Length > settings.MaxBatchSize)
            throw new ArgumentException($"a request carries 1 to {settings.MaxBatchSize} images, not {images.Length}", nameof(images));
        foreach (var image in images)
            if (image.Length != FaceImage.PixelCount)
                throw new ArgumentException($"an image has {FaceImage.PixelCount} values, not {image.Length}", nameof(images));

        var request = new BatchRequest(images, time.GetTimestamp(), Activity.Current?.Context ?? default, cancellationToken);
        Interlocked.Increment(ref depth);
        if (!queue.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref depth);
            throw new QueueFullException(settings.QueueCapacity);
        }
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Activity.Current = null; // batch spans are roots linked to their requests, never children of start-up
        var lanes = Enumerable.Range(0, Lanes)
            .Select(i => new BatchLane(settings.MaxBatchSize, new LaneThread($"fer-batch-lane-{i}", () => LaneStarted(i)))).ToList();
        try
        {
            await Task.WhenAll(lanes.Select(lane => RunLaneAsync(lane, stoppingToken)));
        }
        finally
        {
            foreach (var lane in lanes) lane.Thread.Dispose();
            queue.Writer.TryComplete();
            var stopping = new ModelNotReadyException("the service is shutting down");
            foreach (var lane in lanes)
                foreach (var request in lane.Batch) request.Completion.TrySetException(stopping);
            carried?.Completion.TrySetException(stopping);
            while (queue.Reader.TryRead(out var request)) request.Completion.TrySetException(stopping);
        }
    }

    private async Task RunLaneAsync(BatchLane lane, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref lanesWaitingToGather);
                EndWaitForCompany(); // the lane gathering now need not wait: this one takes the next arrivals
                await gatherTurn.WaitAsync(stoppingToken);
                Interlocked.Decrement(ref lanesWaitingToGather);
                try
                {
                    await GatherAsync(lane, stoppingToken);
                }
                finally
                {
                    gatherTurn.Release();
                }
                await lane.Thread.RunAsync(() => Run(lane, stoppingToken));
                lane.Batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task GatherAsync(BatchLane lane, CancellationToken stoppingToken)
    {
        var batch = lane.Batch;
        var images = 0;
        if (carried is { } first)
        {
            carried = null;
            if (!Dropped(first))
            {
                batch.Add(first);
                images = first.Count;
            }
        }
        while (batch.Count == 0)
        {
            await queue.Reader.WaitToReadAsync(stoppingToken);
            images = TakeAvailable(lane, images);
        }
        images = TakeAvailable(lane, images);

        // Wait for company until the batch is full, its oldest request has waited MaxDelay, no request is on its way, or
        // another lane is free to take the next arrivals (then waiting would only leave a core idle).
        while (images < settings.MaxBatchSize && carried is null && Volatile.Read(ref arriving) > 0
               && Volatile.Read(ref lanesWaitingToGather) == 0)
        {
            var remaining = settings.MaxDelay - time.GetElapsedTime(batch[0].EnqueuedAt);
            if (remaining <= TimeSpan.Zero) break;
            using var timeout = new CancellationTokenSource(remaining, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            Volatile.Write(ref companyWait, linked);
            try
            {
                if (Volatile.Read(ref lanesWaitingToGather) > 0 || !await queue.Reader.WaitToReadAsync(linked.Token)) break;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break; // MaxDelay is over, or another lane became free
            }
            finally
            {
                Volatile.Write(ref companyWait, null);
            }
            images = TakeAvailable(lane, images);
        }
    }

    private void EndWaitForCompany()
    {
        try
        {
            _ = Volatile.Read(ref companyWait)?.CancelAsync(); // its callbacks run off this lane's path
        }
        catch (ObjectDisposedException)
        {
            // the wait ended on its own meanwhile
        }
    }

    private int TakeAvailable(BatchLane lane, int images)
    {
        var batch = lane.Batch;
        while (images < settings.MaxBatchSize && carried is null && queue.Reader.TryRead(out var request))
        {
            Interlocked.Decrement(ref depth);
            if (Dropped(request)) continue;
            if (images + request.Count > settings.MaxBatchSize)
            {
                carried = request; // a request's images stay together: it opens the next batch, whichever lane gathers it
                break;
            }
            batch.Add(request);
            images += request.Count;
        }
        return images;
    }

    private static bool Dropped(BatchRequest request)
    {
        if (!request.CancellationToken.IsCancellationRequested) return false;
        request.Completion.TrySetCanceled(request.CancellationToken);
        return true;
    }

    private void LaneStarted(int lane)
    {
        if (settings.PinLanes && !CorePinning.PinCurrentThread(lane) && Interlocked.Exchange(ref pinningRefused, 1) == 0)
            LogPinningRefused(logger, lane);
    }

    private void Run(BatchLane lane, CancellationToken stoppingToken)
    {
        var batch = lane.Batch;
        batch.RemoveAll(Dropped); // clients that gave up while the batch gathered cost nothing
        if (batch.Count == 0) return;
        var dequeued = time.GetTimestamp();
        if (!holder.TryAcquire(out var model))
        {
            var notReady = new ModelNotReadyException(ModelNotReadyException.NothingPublished);
            foreach (var request in batch) request.Completion.TrySetException(notReady);
            return;
        }

        var size = 0;
        foreach (var request in batch) size += request.Count;
        var links = new List<ActivityLink>(batch.Count);
        foreach (var request in batch)
            if (request.Trace != default) links.Add(new ActivityLink(request.Trace));
        using var activity = InferenceTelemetry.ActivitySource.StartActivity(
            TelemetryTags.BatchRunSpan, ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag(TelemetryTags.BatchSize, size);
        activity?.SetTag(TelemetryTags.ModelVersion, model.Version);
        try
        {
            var input = lane.Input;
            var offset = 0;
            foreach (var request in batch)
            foreach (var image in request.Images)
            {
                image.CopyTo(input, offset);
                offset += FaceImage.PixelCount;
            }

            var started = time.GetTimestamp();
            var outputs = model.Run(input, size, stoppingToken);
            var runTime = time.GetElapsedTime(started);
            Interlocked.Add(ref busyTicks, runTime.Ticks);
            var versionTag = new KeyValuePair<string, object?>(TelemetryTags.ModelVersion, model.Version);
            telemetry.BatchSize.Record(size, versionTag);
            telemetry.BatchDuration.Record(runTime.TotalSeconds, versionTag);

            var row = 0;
            foreach (var request in batch)
            {
                var classes = outputs.Classes;
                var queueTime = time.GetElapsedTime(request.EnqueuedAt, dequeued);
                telemetry.QueueTime.Record(queueTime.TotalSeconds);
                request.Completion.TrySetResult(new BatchResult(
                    model.Version,
                    model.Description.Labels,
                    request.Count,
                    outputs.Probabilities[(row * classes)..((row + request.Count) * classes)],
                    outputs.Logits?[(row * classes)..((row + request.Count) * classes)],
                    size,
                    queueTime,
                    runTime));
                row += request.Count;
            }
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (e is not OperationCanceledException) LogBatchFailed(logger, e, size, model.Version);
            var failure = e is OperationCanceledException ? e : new ModelRunException(model.Version, e);
            foreach (var request in batch) request.Completion.TrySetException(failure);
        }
        finally
        {
            model.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inference:Batching:PinLanes is on but lane {Lane} could not be pinned to a core (Linux only); lanes run unpinned")]
    private static partial void LogPinningRefused(ILogger logger, int lane);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Size} images failed on model {Version}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int size, string version);
}
