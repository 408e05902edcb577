using System.Net.Http.Json;
using System.Text.Json;
using Fer.Benchmarks;
using Fer.Inference.Monitoring;
using Fer.Inference.Rollouts;
using Fer.Registry.Model;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Monitoring;

/// <summary>A candidate in shadow is watched on the faces it shadows as production is on the faces it answers (a real
/// replica, redis-server, the bundled model and its reference): its drift and label-free estimate are there before it
/// answers anyone.</summary>
public sealed class ShadowMonitoringTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AShadowedCandidatesAnswers_AreWatched_AsProductionsAre()
    {
        var prefix = "shadow-drift-" + Guid.NewGuid().ToString("N")[..8];
        using var publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        var request = new ModelPublishRequest
        {
            Onnx = await File.ReadAllBytesAsync(BundledReplay.ModelPath),
            MetricsJson = BundledReplay.MetricsJson(),
            ImageSize = 48,
        };
        var production = (await publisher.Registry.PublishAsync(request)).Version;
        await publisher.Registry.PromoteAsync(production, "test");
        // The candidate is the same model under another version: on the same faces it must read as production does.
        var twin = (await publisher.Registry.PublishAsync(request)).Version;
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["Inference:Shadow:CpuShare"] = "1",
            ["Inference:Shadow:MaxInFlight"] = "64",
        });
        await replica.WaitForVersionAsync(production);
        var rollout = await publisher.Rollouts.StartAsync(twin, [new RolloutStep(RolloutMode.Shadow, 1.0, 0, TimeSpan.FromMinutes(5))]);
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rollout.Id,
            TimeSpan.FromSeconds(20), "the shadow rollout to be served");
        await replica.Get<ReferenceCatalog>().LoadAsync(production);
        await replica.Get<ReferenceCatalog>().LoadAsync(twin);

        // Shadow work is dropped while the replica is busy (the admission's rule): send until the candidate has watched
        // enough faces for the drift tests to run, then compare what it watched with what its evidence says it shadowed.
        var faces = Fer2013Replay.Draw(FaceShift.Darkened, 2000, seed: 2026).ToList();
        var sent = 0;
        JsonElement drift, evidence;
        do
        {
            await ReplayClient.SendAsync(replica.Client, faces.Skip(sent).Take(100).ToList());
            sent += 100;
            evidence = await Poll.UntilAsync(() => ShadowEvidenceAsync(replica, twin), e => Settled(e, sent), TimeSpan.FromSeconds(30),
                "every shadowed request compared or dropped");
            drift = await replica.Client.GetFromJsonAsync<JsonElement>("/drift");
        } while (WindowFaces(drift, twin) < 250 && sent < faces.Count);

        var (watched, served) = (Of(drift, twin), Of(drift, production));
        Assert.Equal(sent, served.GetProperty("windowFaces").GetInt32());
        Assert.Equal(evidence.GetProperty("comparedFaces").GetInt64(), watched.GetProperty("windowFaces").GetInt32());
        Assert.InRange(watched.GetProperty("windowFaces").GetInt32(), 250, sent);
        Assert.Contains("brightness", watched.GetProperty("alarms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(served.GetProperty("estimatedAccuracy").GetDouble(), watched.GetProperty("estimatedAccuracy").GetDouble(), 0.05);
    }

    private static async Task<JsonElement> ShadowEvidenceAsync(InferenceHost replica, string version) =>
        (await replica.Client.GetFromJsonAsync<JsonElement>("/rollout")).GetProperty("evidence").EnumerateArray()
            .FirstOrDefault(v => v.GetProperty("version").GetString() == version);

    private static bool Settled(JsonElement evidence, int sent) => evidence.ValueKind == JsonValueKind.Object
        && evidence.GetProperty("comparedFaces").GetInt64() + evidence.GetProperty("shadowDropped").GetInt64() == sent;

    private static int WindowFaces(JsonElement drift, string version) =>
        drift.EnumerateArray().Where(v => v.GetProperty("version").GetString() == version).Select(v => v.GetProperty("windowFaces").GetInt32()).FirstOrDefault();

    private static JsonElement Of(JsonElement drift, string version) =>
        drift.EnumerateArray().Single(v => v.GetProperty("version").GetString() == version);
}
