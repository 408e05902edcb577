using Fer.Trainer.Jobs;

namespace Fer.Tests.Trainer.Jobs;

public sealed class TrainJobEventStreamTests
{
    [Fact]
    public async Task AReader_GetsTheCurrentStateFirst_ThenEveryUpdate_AndTheStreamEndsWithTheFinalState()
    {
        var stream = new TrainJobEventStream(Job(TrainJobState.Queued));
        stream.Publish(TrainJobEventStream.StateEvent, Job(TrainJobState.Running));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = Task.Run(async () =>
        {
            var items = new List<(string, TrainJobState, int)>();
            await foreach (var item in stream.ReadAllAsync(cancel.Token)) items.Add((item.EventType, item.Data.State, item.Data.Epoch));
            return items;
        });
        while (!reading.IsCompleted && stream.ReaderCount == 0) await Task.Delay(5);

        stream.Publish(TrainJobEventStream.ProgressEvent, Job(TrainJobState.Running) with { Epoch = 1 });
        stream.Publish(TrainJobEventStream.EpochEvent, Job(TrainJobState.Running) with { Epoch = 1 });
        stream.Complete(Job(TrainJobState.Succeeded) with { Epoch = 1 });
        stream.Publish(TrainJobEventStream.ProgressEvent, Job(TrainJobState.Running) with { Epoch = 9 });

        Assert.Equal(
            [("state", TrainJobState.Running, 0), ("progress", TrainJobState.Running, 1), ("epoch", TrainJobState.Running, 1), ("state", TrainJobState.Succeeded, 1)],
            await reading);

        // A reader that comes after the end gets the final state alone.
        var late = new List<TrainJobState>();
        await foreach (var item in stream.ReadAllAsync(cancel.Token)) late.Add(item.Data.State);
        Assert.Equal([TrainJobState.Succeeded], late);
    }

    private static TrainJob Job(TrainJobState state) => new()
    {
        Id = "j",
        State = state,
        Options = new TrainJobOptions(),
        Timings = new TrainJobTimings { CreatedAt = DateTimeOffset.UnixEpoch },
    };
}
