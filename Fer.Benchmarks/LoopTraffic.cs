using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.RateLimiting;
using Fer.Contracts;

namespace Fer.Benchmarks;

/// <summary>
/// The monitoring loop's traffic: clients that post shifted FER2013 faces (drawn at random, seeded) to the gateway's
/// /predict, one request in flight each and at most <c>rate</c> requests a second between them, each with a fresh
/// X-Request-Id (so a rollout's share decides which version answers). It tallies the answers per version against the
/// true labels and keeps the latest answered faces for feedback. A 429 is the gateway's limit, not a failure: the client
/// waits as told.
/// </summary>
public sealed class LoopTraffic : IAsyncDisposable
{
    /// <summary>The answered faces kept for feedback (the oldest go first): far more than feedback takes meanwhile.</summary>
    public const int KeptForFeedback = 500;

    private readonly CancellationTokenSource stop = new();
    private readonly TokenBucketRateLimiter? pace;
    private readonly ConcurrentQueue<AnsweredFace> answeredFaces = new();
    private readonly ConcurrentDictionary<string, VersionAnswers> versions = new(StringComparer.Ordinal);
    private readonly List<Task> clients;
    private long sent;
    private long failed;
    private long rateLimited;

    public LoopTraffic(HttpClient gateway, IReadOnlyList<ShiftedFace> faces, int concurrency, double rate, int seed)
    {
        pace = rate > 0
            ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rate),
                QueueLimit = concurrency,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            })
            : null;
        clients = [.. Enumerable.Range(0, concurrency).Select(client => Task.Run(() => DriveAsync(gateway, faces, new Random(seed + client))))];
    }

    public long Sent => Interlocked.Read(ref sent);

    public long Answered => versions.Values.Sum(v => v.Answered);

    public long Failed => Interlocked.Read(ref failed);

    public long RateLimited => Interlocked.Read(ref rateLimited);

    public string? LastFailure { get; private set; }

    /// <summary>Answers per model version, and how many were right.</summary>
    public IReadOnlyDictionary<string, VersionAnswers> Versions => versions;

    public bool TryTakeAnswered(out AnsweredFace face) => answeredFaces.TryDequeue(out face!);

    private async Task DriveAsync(HttpClient gateway, IReadOnlyList<ShiftedFace> faces, Random random)
    {
        while (!stop.IsCancellationRequested)
        {
            var face = faces[random.Next(faces.Count)];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new ByteArrayContent(face.Png) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            request.Headers.Add("X-Request-Id", Guid.NewGuid().ToString("N"));
            try
            {
                if (pace is not null) using (await pace.AcquireAsync(1, stop.Token)) { }
                Interlocked.Increment(ref sent);
                using var response = await gateway.SendAsync(request, stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    if (!Record(JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token)).RootElement, face.Label))
                        Fail("an answer without a face: a 48x48 FER2013 face is always taken whole");
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref rateLimited);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop.Token);
                    continue;
                }
                Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop.Token)}");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                Fail(e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None); // a gateway that is down is not hammered
            }
        }
    }

    private bool Record(JsonElement answer, int label)
    {
        if (answer.GetProperty("faces").EnumerateArray().FirstOrDefault() is not { ValueKind: JsonValueKind.Object } face) return false;
        var version = face.GetProperty("modelVersion").GetString() ?? "";
        versions.GetOrAdd(version, _ => new VersionAnswers()).Add(face.GetProperty("emotion").GetString() == EmotionLabels.Names[label]);
        if (face.TryGetProperty("id", out var id) && id.GetString() is { } predictionId)
        {
            answeredFaces.Enqueue(new AnsweredFace(predictionId, label));
            while (answeredFaces.Count > KeptForFeedback) answeredFaces.TryDequeue(out _);
        }
        return true;
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref failed);
        LastFailure = why.Length > 300 ? why[..300] + "..." : why;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        pace?.Dispose();
        stop.Dispose();
    }
}
