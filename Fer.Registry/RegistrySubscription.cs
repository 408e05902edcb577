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
        if (Interlocked.Exchange(ref disposed, 1) == 0)
            await queue.UnsubscribeAsync();
    }
}
