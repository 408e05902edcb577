using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Fer.Inference.Prediction;

/// <summary>Gives Kestrel <see cref="BoundedBlockPool"/>s: 256 retained blocks (1 MiB) cover a replica's steady load of
/// a few hundred connections, and keep what a burst leaves behind within a few percent of its idle memory.</summary>
public sealed class BoundedBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public const int RetainedBlocks = 256;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BoundedBlockPool(RetainedBlocks);
}
