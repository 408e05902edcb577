using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Trainer.Apis;

/// <summary>Issue 15, finding 5: with Redis down the trainer's API said a generic 500 after 5-6 s; now a 503 that says
/// why, with <c>Retry-After</c>, at once, and it serves again when Redis is back.</summary>
[Collection(TrainerCollection.Name)]
public sealed class TrainerRedisDownTests(TrainerFixture fixture)
{
    // Well under StackExchange.Redis's 5 s timeout, which the old answers waited for.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task WithRedisDown_EveryRegistryAndJobCall_Is503WithRetryAfter_AtOnce_UntilRedisIsBack()
    {
        var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        try
        {
            await using var trainer = await TrainerTestApp.StartAsync(redis.ConnectionString, TrainerFixture.NewPrefix(), fixture.Data.Root);
            Assert.Equal(HttpStatusCode.OK, (await trainer.Client.GetAsync("/models")).StatusCode);

            await redis.StopAsync();
            await Poll.UntilAsync(async () => (await trainer.Client.GetAsync("/models")).StatusCode, status => status == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "503 from /models once Redis is gone");

            foreach (var (method, path) in new[]
                     {
                         (HttpMethod.Get, "/models"), (HttpMethod.Get, "/models/v0001-abcdef"), (HttpMethod.Get, "/train"),
                         (HttpMethod.Post, "/train"), (HttpMethod.Post, "/models/v0001-abcdef/promote"), (HttpMethod.Post, "/models/rollback"),
                     })
            {
                using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? JsonContent.Create(new { }) : null };
                var clock = Stopwatch.StartNew();
                var response = await trainer.Client.SendAsync(request);
                clock.Stop();

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path}: {(int)response.StatusCode}");
                Assert.True(clock.Elapsed < Fast, $"{method} {path} took {clock.Elapsed.TotalSeconds:F1} s");
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("Redis unavailable", problem.GetProperty("title").GetString());
                Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
            }

            await redis.RestartAsync();
            await Poll.UntilAsync(async () => (await trainer.Client.GetAsync("/models")).StatusCode, status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "200 from /models once Redis is back");
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }
}
