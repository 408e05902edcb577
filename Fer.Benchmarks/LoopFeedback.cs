using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Contracts;

namespace Fer.Benchmarks;

/// <summary>
/// The monitoring loop's users: labels the faces the traffic got answered with their true FER2013 emotion
/// (<c>POST /feedback</c>), at most <c>rate</c> a second, until stopped. A 429 (the gateway's limit, which labels share
/// with /predict) or a 503 (try again) sends the same label again after a wait; a 404 (the answering replica forgot the
/// face) loses it.
/// </summary>
public sealed class LoopFeedback : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sender;
    private long stored;
    private long storeCount;
    private long lost;
    private long failed;
    private bool stopped;

    public LoopFeedback(HttpClient gateway, LoopTraffic traffic, double rate) =>
        sender = Task.Run(() => SendAsync(gateway, traffic, TimeSpan.FromSeconds(1 / rate)));

    /// <summary>Labels the store took.</summary>
    public long Stored => Interlocked.Read(ref stored);

    /// <summary>How many labels the store held after the latest one (its receipt's count).</summary>
    public long StoreCount => Interlocked.Read(ref storeCount);

    public long Lost => Interlocked.Read(ref lost);

    public long Failed => Interlocked.Read(ref failed);

    public string? LastFailure { get; private set; }

    private async Task SendAsync(HttpClient gateway, LoopTraffic traffic, TimeSpan interval)
    {
        using var pace = new PeriodicTimer(interval);
        AnsweredFace? pending = null;
        try
        {
            while (await pace.WaitForNextTickAsync(stop.Token))
            {
                if (pending is null && !traffic.TryTakeAnswered(out pending)) continue;
                var retry = await LabelAsync(gateway, pending, stop.Token);
                if (retry is null) pending = null;
                else await Task.Delay(retry.Value, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <returns>null when the label is done with (stored, lost or failed); else how long to wait before sending it again.</returns>
    private async Task<TimeSpan?> LabelAsync(HttpClient gateway, AnsweredFace face, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await gateway.PostAsJsonAsync("/feedback", new { id = face.Id, emotion = EmotionLabels.Names[face.Label] }, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
                    Interlocked.Exchange(ref storeCount, receipt.GetProperty("count").GetInt64());
                    Interlocked.Increment(ref stored);
                    return null;
                case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                    return response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                case HttpStatusCode.NotFound:
                    Interlocked.Increment(ref lost);
                    return null;
                default:
                    Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return null;
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException
            || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Fail(e.Message);
            return null;
        }
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref failed);
        LastFailure = why.Length > 300 ? why[..300] + "..." : why;
    }

    /// <summary>Stops labelling (again: nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopped) return;
        stopped = true;
        await stop.CancelAsync();
        await sender;
        stop.Dispose();
    }
}
