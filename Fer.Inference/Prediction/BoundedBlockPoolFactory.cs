using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Fer.Inference.Prediction;

/// <summary>Gives Kestrel <see cref="BoundedBlockPool"/>s that keep 256 returned blocks (1 MiB): busier moments allocate
/// more and let them go, and what a burst leaves behind stays within a few percent of idle memory (MemoryBudgetTests).</summary>
public sealed class BoundedBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public const int RetainedBlocks = 256;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BoundedBlockPool(RetainedBlocks);
}
