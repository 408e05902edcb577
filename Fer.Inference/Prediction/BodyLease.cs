using System.Threading.RateLimiting;

namespace Fer.Inference.Prediction;

/// <summary>A request body's share of the memory budget; disposing it gives the share back and tells the budget.</summary>
internal sealed class BodyLease(RateLimitLease lease, Action released) : IDisposable
{
    private int disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        lease.Dispose();
        released();
    }
}
