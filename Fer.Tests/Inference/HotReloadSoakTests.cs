using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Fer.Inference.Contracts;
using Fer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fer.Tests.Inference;

/// <summary>
/// Ten promotions with hot reload under steady load, on a replica in its own process against a real redis-server:
/// not one request fails, and the replica's resident memory ends within 10 % of where it stood before them (measured
/// after two warm-up swaps).
/// Run it with <c>dotnet test Fer.Tests -c Release --filter "FullyQualifiedName~HotReloadSoakTests"</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class HotReloadSoakTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Promotions = 10;

    [Fact]
    public async Task TenPromotionsUnderLoad_FailNoRequest_AndMemoryStaysFlat()
    {
        var prefix = $"fer-soak-{Guid.NewGuid():N}";
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        List<string> versions = [await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(70))];
        await using var replica = await InferenceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Registry:KeyPrefix"] = prefix,
        });

        var face = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[2]);
        var answers = new ConcurrentQueue<(HttpStatusCode Status, string Body)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var content = new ByteArrayContent(face);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                using var response = await replica.Client.PostAsync("/predict", content);
                answers.Enqueue((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        })).ToList();

        await UntilServedAsync(answers, versions[0]);
        for (var warmUp = 1; warmUp <= 2; warmUp++)
        {
            // Two swaps before measuring, so that the swap path itself (session creation and disposal, JIT) is warm.
            versions.Add(await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(90 + warmUp)));
            await UntilServedAsync(answers, versions[^1]);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = replica.ResidentBytes;
        for (var promotion = 1; promotion <= Promotions; promotion++)
        {
            // Published as training would, one at a time: retention keeps the newest ten.
            versions.Add(await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(70 + promotion)));
            await UntilServedAsync(answers, versions[^1]);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = replica.ResidentBytes;
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        output.WriteLine($"{answers.Count} requests; resident {before / 1e6:F1} MB before the first swap, {after / 1e6:F1} MB after the tenth");
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status}: {a.Body}"));
        Assert.Equal(versions.ToHashSet(), answers.Select(a => JsonSerializer.Deserialize<PredictionResponse>(a.Body, JsonSerializerOptions.Web)!.ModelVersion).ToHashSet());
        Assert.InRange(after, (long)(before * 0.9), (long)(before * 1.1));
    }

    private static async Task UntilServedAsync(ConcurrentQueue<(HttpStatusCode Status, string Body)> answers, string version)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!answers.Any(a => a.Body.Contains($"\"modelVersion\":\"{version}\"", StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"version {version} was never served");
            await Task.Delay(50);
        }
    }
}
