using Fer.Inference.Batching;

namespace Fer.Tests.Inference;

public sealed class BatchingOptionsValidatorTests
{
    [Theory]
    [InlineData(-1, "Inference:Batching:ConcurrentBatches must be 0 (one lane a core) to 256, not -1")]
    [InlineData(257, "Inference:Batching:ConcurrentBatches must be 0 (one lane a core) to 256, not 257")]
    public void ConcurrentBatches_OutOfRange_IsRefusedByName(int lanes, string message)
    {
        var result = new BatchingOptionsValidator().Validate(null, new BatchingOptions { ConcurrentBatches = lanes });

        Assert.True(result.Failed);
        Assert.Contains(message, result.Failures!);
    }

    [Fact]
    public void TheDefaults_AreValid() =>
        Assert.True(new BatchingOptionsValidator().Validate(null, new BatchingOptions()).Succeeded);
}
