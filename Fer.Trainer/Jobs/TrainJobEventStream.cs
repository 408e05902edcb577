using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fer.Trainer.Jobs;

/// <summary>
/// A job's live updates for any number of readers. A new reader first gets the current snapshot (a "state" event),
/// then every update; the stream ends after the job's final "state" event. A slow reader loses its oldest progress
/// events, never the final one.
/// </summary>
public sealed class TrainJobEventStream(TrainJob initial)
{
    public const string StateEvent = "state";
    public const string ProgressEvent = "progress";
    public const string EpochEvent = "epoch";

    private const int ReaderCapacity = 256;

    private readonly Lock gate = new();
    private readonly List<Channel<SseItem<TrainJob>>> readers = [];
    private TrainJob latest = initial;
    private long sequence;
    private bool completed;

    public TrainJob Latest
    {
        get
        {
            lock (gate) return latest;
        }
    }

    /// <summary>How many readers are attached now.</summary>
    public int ReaderCount
    {
        get
        {
            lock (gate) return readers.Count;
        }
    }

    public async IAsyncEnumerable<SseItem<TrainJob>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SseItem<TrainJob>>(new BoundedChannelOptions(ReaderCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (gate)
        {
            channel.Writer.TryWrite(Item(StateEvent, latest));
            if (completed) channel.Writer.TryComplete();
            else readers.Add(channel);
        }
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
                yield return item;
        }
        finally
        {
            lock (gate) readers.Remove(channel);
        }
    }

    public void Publish(string eventType, TrainJob job)
    {
        lock (gate)
        {
            if (completed) return;
            latest = job;
            var item = Item(eventType, job);
            foreach (var reader in readers) reader.Writer.TryWrite(item);
        }
    }

    /// <summary>Sends the final snapshot and ends every reader's stream.</summary>
    public void Complete(TrainJob final)
    {
        lock (gate)
        {
            latest = final;
            if (completed) return;
            completed = true;
            var item = Item(StateEvent, final);
            foreach (var reader in readers)
            {
                reader.Writer.TryWrite(item);
                reader.Writer.TryComplete();
            }
            readers.Clear();
        }
    }

    private SseItem<TrainJob> Item(string eventType, TrainJob job) =>
        new(job, eventType) { EventId = (++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
