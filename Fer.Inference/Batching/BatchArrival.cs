namespace Fer.Inference.Batching;

/// <summary>
/// A request on its way to the batcher (its body is being read or its images decoded). While any request is on its
/// way, a gathering batch waits up to <see cref="BatchingOptions.MaxDelay"/> for it; with none, the batch runs at once
/// rather than wait for company that is not coming. Disposed when the request is queued or fails; disposing twice is
/// harmless.
/// </summary>
public sealed class BatchArrival : IDisposable
{
    private readonly Action arrived;
    private int disposed;

    internal BatchArrival(Action arrived) => this.arrived = arrived;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) arrived();
    }
}
