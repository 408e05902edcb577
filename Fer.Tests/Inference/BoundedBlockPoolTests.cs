using Fer.Inference.Prediction;

namespace Fer.Tests.Inference;

public sealed class BoundedBlockPoolTests
{
    [Fact]
    public void ReturnedBlocks_AreReused_UpToTheCap_AndTheRestAreLetGo()
    {
        using var pool = new BoundedBlockPool(retained: 2);
        var leases = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        var arrays = leases.Select(lease => lease.Memory).ToList();
        Assert.All(arrays, memory => Assert.Equal(BoundedBlockPool.BlockSize, memory.Length));

        leases.ForEach(lease => lease.Dispose());
        Assert.Equal(2, pool.FreeBlocks);

        var again = pool.Rent();
        Assert.Contains(arrays, memory => memory.Equals(again.Memory));
        Assert.Equal(1, pool.FreeBlocks);
    }

    [Fact]
    public void ALease_ReturnsItsBlockOnce_AndIsUnusableAfterwards()
    {
        using var pool = new BoundedBlockPool(retained: 8);
        var lease = pool.Rent();
        lease.Dispose();
        lease.Dispose();

        Assert.Equal(1, pool.FreeBlocks);
        Assert.Throws<ObjectDisposedException>(() => lease.Memory);
    }

    [Fact]
    public void ABufferLargerThanABlock_IsRefused()
    {
        using var pool = new BoundedBlockPool(retained: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BoundedBlockPool.BlockSize + 1));
        Assert.Equal(BoundedBlockPool.BlockSize, pool.MaxBufferSize);
    }
}
