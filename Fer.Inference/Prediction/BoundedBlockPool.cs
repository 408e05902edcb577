using System.Buffers;
using System.Collections.Concurrent;

namespace Fer.Inference.Prediction;

/// <summary>
/// Kestrel's network buffers: 4 KiB ordinary (movable) arrays, of which at most <see cref="Retained"/> are kept for reuse
/// once returned; the rest are left to the garbage collector. Kestrel's own pool keeps every block a burst ever needed
/// and, per dotnet/aspnetcore#61554, gives back 5 % of them every 10 s when idle, so after 100 large uploads at once a
/// replica held 17 MB of idle blocks a minute later (a heap dump showed 4,271). Its blocks live on the pinned heap, which
/// is never compacted, so even blocks let go left it committed around the ones still in use; movable arrays compact.
/// </summary>
public sealed class BoundedBlockPool(int retained) : MemoryPool<byte>
{
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> free = new();
    private int freeCount;

    /// <summary>The most returned blocks the pool keeps.</summary>
    public int Retained { get; } = retained;

    /// <summary>Returned blocks kept for reuse now.</summary>
    public int FreeBlocks => Volatile.Read(ref freeCount);

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (!free.TryDequeue(out var block)) return new Block(this);
        Interlocked.Decrement(ref freeCount);
        block.Lease();
        return block;
    }

    protected override void Dispose(bool disposing) => free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref freeCount) <= Retained)
        {
            free.Enqueue(block);
            return;
        }
        Interlocked.Decrement(ref freeCount);
    }

    /// <summary>One block and its lease: disposing the lease returns the block, once.</summary>
    private sealed class Block(BoundedBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] array = GC.AllocateUninitializedArray<byte>(BlockSize);
        private int leased = 1;

        public Memory<byte> Memory => Volatile.Read(ref leased) == 1 ? array : throw new ObjectDisposedException(nameof(BoundedBlockPool), "the block was returned");

        public void Lease() => Volatile.Write(ref leased, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref leased, 0) == 1) pool.Return(this);
        }
    }
}
