using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>
/// The replica's memory budget for requests (see <see cref="PredictionOptions"/>): request-body bytes held and image
/// pixels being decoded, each a weighted FIFO semaphore. A share that cannot be had within
/// <see cref="PredictionOptions.BudgetWait"/> is refused with <see cref="MemoryBudgetBusyException"/> (503).
/// </summary>
public sealed partial class MemoryBudget : IDisposable
{
    /// <summary>Permits are counted in KiB and in kilopixels, so that a budget of gigabytes fits an int.</summary>
    public const long BytesPerPermit = 1024;

    public const long PixelsPerPermit = 1000;

    /// <summary>Body bytes that must have passed through since the last collection before an idle budget collects.</summary>
    public const long CollectAfterBodyBytes = 32 * 1024 * 1024;

    private readonly ConcurrencyLimiter bodyBytes;
    private readonly ConcurrencyLimiter decodingPixels;
    private readonly TimeSpan wait;
    private readonly int bodyPermitLimit;
    private readonly TimeProvider time;
    private readonly ILogger<MemoryBudget> logger;
    private long bodyPermitsSinceCollection;
    private int collectionScheduled;

    public MemoryBudget(IOptions<PredictionOptions> options, TimeProvider time, ILogger<MemoryBudget> logger)
    {
        this.time = time;
        this.logger = logger;
        var settings = options.Value;
        wait = settings.BudgetWait;
        bodyPermitLimit = Permits(settings.MaxBufferedBodyBytes, BytesPerPermit);
        bodyBytes = Limiter(bodyPermitLimit);
        decodingPixels = Limiter(Permits(settings.MaxDecodingPixels, PixelsPerPermit));
    }

    /// <summary>A share of the body-bytes budget, held until the request's images are decoded.</summary>
    public async ValueTask<IDisposable> ReserveBodyAsync(long bytes, CancellationToken cancellationToken)
    {
        var permits = Permits(bytes, BytesPerPermit);
        var lease = await ReserveAsync(bodyBytes, permits, "request bodies", "Inference:MaxBufferedBodyBytes", cancellationToken);
        Interlocked.Add(ref bodyPermitsSinceCollection, permits);
        return new BodyLease(lease, OnBodyReleased);
    }

    /// <summary>A share of the decoding budget for images that declare <paramref name="pixels"/> pixels together.</summary>
    public ValueTask<RateLimitLease> ReserveDecodingAsync(long pixels, CancellationToken cancellationToken) =>
        ReserveAsync(decodingPixels, Permits(pixels, PixelsPerPermit), "images being decoded", "Inference:MaxDecodingPixels", cancellationToken);

    public void Dispose()
    {
        bodyBytes.Dispose();
        decodingPixels.Dispose();
    }

    /// <summary>
    /// Bodies live on the managed heap, and a heap that grew for a burst stays grown while nothing allocates (an idle
    /// replica never collects). So once bodies of more than <see cref="CollectAfterBodyBytes"/> have come and gone and
    /// the budget has stood empty for a second, <see cref="MemoryRelease.AfterBurst"/> hands the memory back.
    /// </summary>
    private void OnBodyReleased()
    {
        if (Interlocked.Read(ref bodyPermitsSinceCollection) * BytesPerPermit < CollectAfterBodyBytes || !BodiesIdle()) return;
        if (Interlocked.Exchange(ref collectionScheduled, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time);
                if (!BodiesIdle()) return;
                var bytes = Interlocked.Exchange(ref bodyPermitsSinceCollection, 0) * BytesPerPermit;
                var before = Environment.WorkingSet;
                MemoryRelease.AfterBurst();
                LogReleased(logger, bytes / 1e6, before / 1e6, Environment.WorkingSet / 1e6);
            }
            finally
            {
                Volatile.Write(ref collectionScheduled, 0);
            }
        });
    }

    private bool BodiesIdle() => bodyBytes.GetStatistics()?.CurrentAvailablePermits == bodyPermitLimit;

    private static ConcurrencyLimiter Limiter(int permits) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits,
        QueueLimit = permits,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private static int Permits(long amount, long unit) => (int)Math.Max(1, (amount + unit - 1) / unit);

    private async ValueTask<RateLimitLease> ReserveAsync(ConcurrencyLimiter limiter, int permits, string what, string setting, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            var lease = await limiter.AcquireAsync(permits, timeout.Token);
            if (lease.IsAcquired) return lease;
            lease.Dispose();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        throw new MemoryBudgetBusyException(
            $"this replica's memory budget for {what} ({setting}) is in use by other requests; retry shortly or send to another replica");
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Request bodies of {BodyMegabytes:F0} MB came and went; memory handed back: resident {BeforeMegabytes:F0} -> {AfterMegabytes:F0} MB")]
    private static partial void LogReleased(ILogger logger, double bodyMegabytes, double beforeMegabytes, double afterMegabytes);
}
