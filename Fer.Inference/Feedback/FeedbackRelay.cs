using System.Collections.Concurrent;
using System.Text.Json;
using Fer.Inference.Models;
using Fer.Registry.Feedback;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fer.Inference.Feedback;

/// <summary>
/// Passes labels between replicas over Redis pub/sub: the gateway may send a label to any replica, but only the one that
/// answered remembers the face. Each replica listens on its own channel (named by <see cref="FeedbackWindow.Replica"/>)
/// for labels of its faces and answers on the asker's reply channel. A label for a replica nobody hears (gone, restarted)
/// is unknown at once; one whose answer does not come within <see cref="ReplyTimeout"/> is unavailable. A replica that
/// serves a file (no registry) does not listen.
/// </summary>
public sealed partial class FeedbackRelay(
    FeedbackWindow window,
    FeedbackRecorder recorder,
    IServiceProvider services,
    IOptions<ReloadOptions> reload,
    ILogger<FeedbackRelay> logger) : BackgroundService
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<FeedbackResult>> waiting = new();
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this replica hears its channels.</summary>
    public Task Listening => listening.Task;

    /// <summary>Sends a label to the replica that answered, and waits for what it made of it.</summary>
    public async Task<FeedbackResult> ForwardAsync(string replica, string id, string emotion, CancellationToken cancellationToken)
    {
        try
        {
            await Listening.WaitAsync(ReplyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new FeedbackResult(FeedbackOutcome.Unavailable);
        }
        var keys = services.GetRequiredService<FeedbackStore>().Keys;
        var correlation = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<FeedbackResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[correlation] = reply;
        try
        {
            var message = new FeedbackRelayMessage(correlation, id, emotion, window.Replica);
            var heard = await Subscriber.PublishAsync(keys.Replica(replica), Serialize(message));
            if (heard == 0) return new FeedbackResult(FeedbackOutcome.Unknown);
            return await reply.Task.WaitAsync(ReplyTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or RedisException)
        {
            return new FeedbackResult(FeedbackOutcome.Unavailable);
        }
        finally
        {
            waiting.TryRemove(correlation, out _);
        }
    }

    private ISubscriber Subscriber => services.GetRequiredService<IConnectionMultiplexer>().GetSubscriber();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (reload.Value.File is not null || !window.Enabled) return;
        var keys = services.GetRequiredService<FeedbackStore>().Keys;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                (await Subscriber.SubscribeAsync(keys.Replica(window.Replica))).OnMessage(AnswerAsync);
                (await Subscriber.SubscribeAsync(keys.Replies(window.Replica))).OnMessage(ReceiveReply);
                listening.TrySetResult();
                LogListening(logger, window.Replica);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogNotListening(logger, e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task AnswerAsync(ChannelMessage message)
    {
        if (Deserialize(message.Message) is not { Emotion: { } emotion, ReplyTo: { } replyTo } request) return;
        var result = await recorder.RecordAsync(request.PredictionId, emotion);
        var keys = services.GetRequiredService<FeedbackStore>().Keys;
        try
        {
            await Subscriber.PublishAsync(keys.Replies(replyTo), Serialize(request with { Emotion = null, ReplyTo = null, Result = result }));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogReplyFailed(logger, request.PredictionId, e.Message);
        }
    }

    private void ReceiveReply(ChannelMessage message)
    {
        if (Deserialize(message.Message) is { Result: { } result } reply && waiting.TryGetValue(reply.Correlation, out var waiter))
            waiter.TrySetResult(result);
    }

    private static RedisValue Serialize(FeedbackRelayMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, FeedbackJsonContext.Default.FeedbackRelayMessage);

    private static FeedbackRelayMessage? Deserialize(RedisValue value)
    {
        try
        {
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((byte[])value!, FeedbackJsonContext.Default.FeedbackRelayMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for feedback on faces answered by replica {Replica}")]
    private static partial void LogListening(ILogger logger, string replica);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot listen for feedback yet ({Error}); trying again")]
    private static partial void LogNotListening(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not answer feedback on {PredictionId} ({Error})")]
    private static partial void LogReplyFailed(ILogger logger, string predictionId, string error);
}
