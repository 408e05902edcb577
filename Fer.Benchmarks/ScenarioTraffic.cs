using System.Net.Http.Headers;

namespace Fer.Benchmarks;

/// <summary>Clients that post FER2013 faces to the gateway's /predict, each request with a fresh X-Request-Id (so the
/// rollout's share decides which version sees it), until stopped; counts the answers and the failures. A client the
/// gateway's rate limit turns away (429) waits as it is told and is not counted as failed: the limit is the gateway's
/// (<c>Gateway__Limits__PredictPermitLimit</c>), not a version's fault.</summary>
public sealed class ScenarioTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> clients;
    private long answered;
    private long failed;
    private long rateLimited;

    public ScenarioTraffic(HttpClient gateway, IReadOnlyList<byte[]> images, int concurrency) =>
        clients = [.. Enumerable.Range(0, concurrency).Select(client => Task.Run(() => DriveAsync(gateway, images, client, concurrency)))];

    public long Answered => Interlocked.Read(ref answered);

    public long Failed => Interlocked.Read(ref failed);

    public long RateLimited => Interlocked.Read(ref rateLimited);

    public string? LastFailure { get; private set; }

    private async Task DriveAsync(HttpClient gateway, IReadOnlyList<byte[]> images, int client, int concurrency)
    {
        for (var i = client; !stop.IsCancellationRequested; i += concurrency)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new ByteArrayContent(images[i % images.Count]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            request.Headers.Add("X-Request-Id", Guid.NewGuid().ToString("N"));
            try
            {
                using var response = await gateway.SendAsync(request, stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref answered);
                    continue;
                }
                if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref rateLimited);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop.Token);
                    continue;
                }
                Interlocked.Increment(ref failed);
                LastFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop.Token)}";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                Interlocked.Increment(ref failed);
                LastFailure = e.Message;
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None); // a gateway that is down is not hammered
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        stop.Dispose();
    }
}
