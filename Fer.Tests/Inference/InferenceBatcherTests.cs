using Fer.Imaging;
using Fer.Inference.Batching;
using Fer.Inference.Models;
using Fer.Inference.Onnx;
using Fer.Inference.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Fer.Tests.Inference;

/// <summary>Dynamic batching against a real model, with the clock in the test's hands.</summary>
public sealed class InferenceBatcherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new();
    private readonly InferenceTelemetry telemetry = InferenceParts.Telemetry();
    private ModelHolder holder = null!;
    private InferenceBatcher? batcher;

    public Task InitializeAsync()
    {
        holder = InferenceParts.Holder(telemetry, seed: 31);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (batcher is not null) await batcher.StopAsync(CancellationToken.None);
        holder.Dispose();
        telemetry.Dispose();
    }

    [Fact]
    public async Task ConcurrentRequests_RunAsOneBatch_WhenTheDelayEnds()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });
        using var neverSubmitted = batcher!.ExpectArrival(); // company on its way keeps the batch open

        var requests = Enumerable.Range(0, 3).Select(i => batcher!.SubmitAsync([Crop(i)], CancellationToken.None)).ToList();
        await Task.Delay(100);
        Assert.All(requests, r => Assert.False(r.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(3, r.BatchSize));
        Assert.All(results, r => Assert.Equal("seed-31", r.ModelVersion));
        for (var i = 0; i < 3; i++)
        {
            var expected = InferenceTestModels.ReferenceProbabilities(31, Crop(i));
            for (var c = 0; c < 7; c++) Assert.Equal(expected[c], results[i].Probabilities[c], 1e-5);
        }
    }

    [Fact]
    public async Task AFullBatch_RunsAtOnce_WithoutWaitingForTheDelay()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 2, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });
        using var neverSubmitted = batcher!.ExpectArrival(); // company on its way, yet a full batch does not wait for it

        var results = await Task.WhenAll(
            batcher.SubmitAsync([Crop(0)], CancellationToken.None),
            batcher.SubmitAsync([Crop(1)], CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(results, r => Assert.Equal(2, r.BatchSize));
    }

    [Fact]
    public async Task ARequest_WaitsExactlyTheMaxDelay_ForCompanyThatNeverComes()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromMilliseconds(50), ConcurrentBatches = 1 });
        using var neverSubmitted = batcher!.ExpectArrival();

        var request = batcher!.SubmitAsync([Crop(0)], CancellationToken.None);
        await Task.Delay(100);
        time.Advance(TimeSpan.FromMilliseconds(49));
        await Task.Delay(100);
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var result = await request.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, result.BatchSize);
    }

    [Fact]
    public async Task ALoneRequest_RunsAtOnce_WhenNoOtherIsOnItsWay()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });

        var result = await batcher!.SubmitAsync([Crop(0)], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, result.BatchSize);
    }

    [Fact]
    public async Task ABatch_RunsAsSoonAsTheLastRequestOnItsWayIsQueued()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });
        var second = batcher!.ExpectArrival();

        var first = batcher.SubmitAsync([Crop(0)], CancellationToken.None);
        await Task.Delay(100);
        Assert.False(first.IsCompleted);
        second.Dispose();
        second.Dispose(); // twice is harmless: the count stays right
        var results = await Task.WhenAll(first, batcher.SubmitAsync([Crop(1)], CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(results, r => Assert.Equal(2, r.BatchSize));
        Assert.Equal(1, (await batcher.SubmitAsync([Crop(2)], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20))).BatchSize);
    }

    [Fact]
    public async Task ARequestWhoseClientGaveUp_IsDroppedBeforeTheModelRuns()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });
        using var neverSubmitted = batcher!.ExpectArrival();
        using var gaveUp = new CancellationTokenSource();

        var kept = batcher.SubmitAsync([Crop(0)], CancellationToken.None);
        var dropped = batcher.SubmitAsync([Crop(1), Crop(2)], gaveUp.Token);
        await gaveUp.CancelAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, (await kept.WaitAsync(TimeSpan.FromSeconds(20))).BatchSize);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
    }

    [Fact]
    public async Task ARequestsImagesStayTogether_AndOpenTheNextBatchWhenTheyDoNotFit()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 1 });

        var first = batcher!.SubmitAsync([Crop(0), Crop(1), Crop(2)], CancellationToken.None);
        var second = batcher.SubmitAsync([Crop(3), Crop(4)], CancellationToken.None);
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(20)); // the second does not fit: the first runs at once
        time.Advance(TimeSpan.FromSeconds(1));
        var secondResult = await second.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, firstResult.BatchSize);
        Assert.Equal(3, firstResult.Images);
        Assert.Equal(2, secondResult.BatchSize);
        var expected = InferenceTestModels.ReferenceProbabilities(31, Crop(4));
        for (var c = 0; c < 7; c++) Assert.Equal(expected[c], secondResult.ProbabilitiesOf(1)[c], 1e-5);
    }

    [Fact]
    public async Task WithTwoLanes_ABatchDoesNotWaitForCompany_WhileTheOtherLaneIsFree()
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), ConcurrentBatches = 2 });
        using var neverSubmitted = batcher!.ExpectArrival(); // one lane alone would wait the whole second for it

        var result = await batcher.SubmitAsync([Crop(0)], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, result.BatchSize);
    }

    [Fact]
    public void ByDefault_ThereIsOneLaneForEachCore()
    {
        var lanes = InferenceParts.Batcher(holder, telemetry, time, new BatchingOptions()).Lanes;

        Assert.Equal(Environment.ProcessorCount, lanes);
        Assert.Equal(Environment.ProcessorCount, new BatchingOptions().LanesFor(new OnnxOptions().IntraOpThreads, Environment.ProcessorCount));
        Assert.Equal(1, new BatchingOptions().LanesFor(intraOpThreads: 0, cores: 8)); // ONNX Runtime's own threads take every core
        Assert.Equal(4, new BatchingOptions().LanesFor(intraOpThreads: 2, cores: 8));
        Assert.Equal(3, new BatchingOptions { ConcurrentBatches = 3 }.LanesFor(intraOpThreads: 2, cores: 8));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoLanes_AnswerEveryRequest_WithItsOwnRows(bool pinned)
    {
        await StartAsync(new BatchingOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.Zero, ConcurrentBatches = 2, PinLanes = pinned });

        var requests = Enumerable.Range(0, 24).Select(i => batcher!.SubmitAsync([Crop(i), Crop(i + 1)], CancellationToken.None)).ToList();
        var results = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.InRange(results[i].BatchSize, 2, 4);
            for (var image = 0; image < 2; image++)
            {
                var expected = InferenceTestModels.ReferenceProbabilities(31, Crop(i + image));
                for (var c = 0; c < 7; c++) Assert.Equal(expected[c], results[i].ProbabilitiesOf(image)[c], 1e-5);
            }
        }
    }

    [Fact]
    public void AFullQueue_RefusesAtOnce()
    {
        // Not started: nothing drains the queue, so its capacity is exactly what fits.
        batcher = null;
        var idle = InferenceParts.Batcher(holder, telemetry, time, new BatchingOptions { QueueCapacity = 2 });
        _ = idle.SubmitAsync([Crop(0)], CancellationToken.None);
        _ = idle.SubmitAsync([Crop(1)], CancellationToken.None);

        var error = Assert.Throws<QueueFullException>(() => { _ = idle.SubmitAsync([Crop(2)], CancellationToken.None); });

        Assert.Contains("queue is full", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, idle.QueueDepth);
    }

    private async Task StartAsync(BatchingOptions options)
    {
        batcher = InferenceParts.Batcher(holder, telemetry, time, options);
        await batcher.StartAsync(CancellationToken.None);
    }

    private static float[] Crop(int i)
    {
        var paths = InferenceTestModels.FerImages();
        return FaceImageDecoder.Decode(File.ReadAllBytes(paths[i % paths.Count])).Pixels;
    }
}
