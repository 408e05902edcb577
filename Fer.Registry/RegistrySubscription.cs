using StackExchange.Redis;

namespace Fer.Registry;

/// <summary>A live subscription to production changes; dispose it to unsubscribe.</summary>
public sealed class RegistrySubscription : IAsyncDisposable
{
    private readonly ChannelMessageQueue queue;
    private int disposed;

    internal RegistrySubscription(ChannelMessageQueue queue) => this.queue = queue;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (ObjectDisposedException)
        {
            // At host shutdown the container may already have disposed the connection's Redis tracing (Aspire's
            // instrumentation profiles every command); the subscription ends with the connection anyway.
        }
    }
}
