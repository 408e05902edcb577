using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fer.Inference.Prediction;

/// <summary>
/// The replica's memory budget for requests (see <see cref="PredictionOptions"/>): request-body bytes held and image
/// pixels being decoded, each a weighted FIFO semaphore. A share that cannot be had within
/// <see cref="PredictionOptions.BudgetWait"/> is refused with <see cref="MemoryBudgetBusyException"/> (503).
/// </summary>
public sealed class MemoryBudget : IDisposable
{
    /// <summary>Permits are counted in KiB and in kilopixels, so that a budget of gigabytes fits an int.</summary>
    public const long BytesPerPermit = 1024;

    public const long PixelsPerPermit = 1000;

    private readonly ConcurrencyLimiter bodyBytes;
    private readonly ConcurrencyLimiter decodingPixels;
    private readonly TimeSpan wait;
    private readonly int bodyPermitLimit;
    private readonly TimeProvider time;
    private long bodyPermitsSinceCollection;
    private long lastActivity;

    public MemoryBudget(IOptions<PredictionOptions> options, TimeProvider time)
    {
        this.time = time;
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
        Volatile.Write(ref lastActivity, time.GetTimestamp());
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

    /// <summary>Body bytes reserved since the last call (what <see cref="IdleMemoryRelease"/> weighs).</summary>
    public long TakeBodyBytesSinceRelease() => Interlocked.Exchange(ref bodyPermitsSinceCollection, 0) * BytesPerPermit;

    /// <summary>Body bytes reserved since <see cref="TakeBodyBytesSinceRelease"/> last ran.</summary>
    public long BodyBytesSinceRelease => Interlocked.Read(ref bodyPermitsSinceCollection) * BytesPerPermit;

    /// <summary>No body held now, and none reserved or released for <paramref name="quiet"/>.</summary>
    public bool IdleFor(TimeSpan quiet) => BodiesIdle() && time.GetElapsedTime(Volatile.Read(ref lastActivity)) >= quiet;

    private void OnBodyReleased() => Volatile.Write(ref lastActivity, time.GetTimestamp());

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


}
