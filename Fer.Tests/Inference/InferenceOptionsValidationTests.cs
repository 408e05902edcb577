using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Rollouts;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Tests.Inference;

/// <summary>The replica's options, checked from their data annotations as <c>ValidateDataAnnotations()</c> does at start:
/// each bad setting is refused with its configuration key.</summary>
public sealed class InferenceOptionsValidationTests
{
    [Theory]
    [InlineData(-1, "Inference:Batching:ConcurrentBatches must be 0 (one lane a core) to 256")]
    [InlineData(257, "Inference:Batching:ConcurrentBatches must be 0 (one lane a core) to 256")]
    public void ConcurrentBatches_OutOfRange_IsRefusedByName(int lanes, string message)
    {
        var result = new DataAnnotationValidateOptions<BatchingOptions>(null).Validate(null, new BatchingOptions { ConcurrentBatches = lanes });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBadBatchingSetting_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<BatchingOptions>(null).Validate(null,
            new BatchingOptions { MaxBatchSize = 0, MaxDelay = TimeSpan.FromSeconds(2), QueueCapacity = 0, ConcurrentBatches = 300 });

        Assert.Equal(
            ["Inference:Batching:ConcurrentBatches", "Inference:Batching:MaxBatchSize", "Inference:Batching:MaxDelay", "Inference:Batching:QueueCapacity"],
            OptionsFailures.NamedKeys(result.Failures!, "Inference:Batching:"));
    }

    [Fact]
    public void EveryBadOnnxSetting_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<OnnxOptions>(null).Validate(null,
            new OnnxOptions { IntraOpThreads = -1, InterOpThreads = 2000, GraphOptimization = (GraphOptimizationLevel)42, GpuDeviceId = -1 });

        Assert.Equal(
            ["Inference:Onnx:GpuDeviceId", "Inference:Onnx:GraphOptimization", "Inference:Onnx:InterOpThreads", "Inference:Onnx:IntraOpThreads"],
            OptionsFailures.NamedKeys(result.Failures!, "Inference:Onnx:"));
    }

    [Fact]
    public void EveryBadShadowSetting_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<ShadowAdmissionOptions>(null).Validate(null,
            new ShadowAdmissionOptions { CpuShare = 1.5, IdleBelow = -0.1, MaxInFlight = 0 });

        Assert.Equal(
            ["Inference:Shadow:CpuShare", "Inference:Shadow:IdleBelow", "Inference:Shadow:MaxInFlight"],
            OptionsFailures.NamedKeys(result.Failures!, "Inference:Shadow:"));
    }

    [Fact]
    public void AMissingModelFile_OrAnOutOfRangeInterval_IsNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");
        var validator = new DataAnnotationValidateOptions<ReloadOptions>(null);
        var file = validator.Validate(null, new ReloadOptions { File = missing });
        var interval = validator.Validate(null, new ReloadOptions { ReconcileInterval = TimeSpan.FromMilliseconds(1) });

        Assert.Contains(file.Failures!, f => f.Contains($"Inference:Models:File '{missing}' does not exist", StringComparison.Ordinal));
        Assert.True(interval.Failures!.Single().Contains("Inference:Models:ReconcileInterval must be from 00:00:00.0100000 to 01:00:00", StringComparison.Ordinal), interval.FailureMessage);
    }

    [Fact]
    public void TheDefaults_AreValid()
    {
        Assert.True(new DataAnnotationValidateOptions<BatchingOptions>(null).Validate(null, new BatchingOptions()).Succeeded);
        Assert.True(new DataAnnotationValidateOptions<OnnxOptions>(null).Validate(null, new OnnxOptions()).Succeeded);
        Assert.True(new DataAnnotationValidateOptions<ReloadOptions>(null).Validate(null, new ReloadOptions()).Succeeded);
        Assert.True(new DataAnnotationValidateOptions<ShadowAdmissionOptions>(null).Validate(null, new ShadowAdmissionOptions()).Succeeded);
    }
}
