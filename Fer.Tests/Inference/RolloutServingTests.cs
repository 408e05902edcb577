using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Inference;

/// <summary>A replica serving production and a candidate in rollout: a real registry on redis-server, real models, real
/// HTTP. Which version answers a request is decided by its id alone, identically everywhere.</summary>
public sealed class RolloutServingTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string prefix = "serve-rollout-" + Guid.NewGuid().ToString("N")[..8];
    private RegistryPublisher publisher = null!;
    private string production = null!;
    private string candidate = null!;

    public async Task InitializeAsync()
    {
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(31));
        candidate = await publisher.PublishAsync(InferenceTestModels.Onnx(32));
    }

    public Task DisposeAsync()
    {
        publisher.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void RequestSampling_SplitsTenThousandIds_AtTheShare_WithinTwoPoints()
    {
        foreach (var share in new[] { 0.05, 0.25, 0.5 })
        {
            var selected = Enumerable.Range(0, 10_000).Count(i => RequestSampling.Position("v0002-abcdef@1796644800000", $"req-{i}") < share);
            Assert.InRange(selected / 10_000.0, share - 0.02, share + 0.02);
        }
        Assert.Equal(RequestSampling.Position("r", "same id"), RequestSampling.Position("r", "same id"));
    }

    [Fact]
    public async Task InCanary_EachRequestIsAnsweredByTheVersionItsIdFallsTo_AndARetryMeetsTheSameOne()
    {
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(production);
        var rollout = await publisher.Rollouts.StartAsync(candidate, [new RolloutStep(RolloutMode.Canary, 0.3, 0, TimeSpan.FromMinutes(5))]);
        await WaitForCandidateAsync(replica, rollout.Id);

        var answeredByCandidate = 0;
        for (var i = 0; i < 120; i++)
        {
            var id = $"client-{i}";
            var version = (await PredictAsync(replica, id)).ModelVersion;
            var expected = RequestSampling.Position(rollout.Id, id) < 0.3 ? candidate : production;
            Assert.Equal(expected, version);
            Assert.Equal(version, (await PredictAsync(replica, id)).ModelVersion); // the retry
            if (version == candidate) answeredByCandidate++;
        }
        Assert.InRange(answeredByCandidate, 20, 60);
        var evidence = await EvidenceAsync(replica);
        Assert.Equal(2 * answeredByCandidate, Evidence(evidence, candidate).GetProperty("requests").GetInt64());
        Assert.Equal(2 * (120 - answeredByCandidate), Evidence(evidence, production).GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task InShadow_ProductionAlwaysAnswers_AndTheCandidatesAgreementIsRecorded()
    {
        // The candidate is production's own model under another version: it must agree on every face.
        var twin = await publisher.PublishAsync(InferenceTestModels.Onnx(31));
        // Admission opened wide (all the cores' time, no limit on concurrent work): this test is about the comparison.
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["Inference:Shadow:CpuShare"] = "1",
            ["Inference:Shadow:MaxInFlight"] = "64",
        });
        await replica.WaitForVersionAsync(production);
        var rollout = await publisher.Rollouts.StartAsync(twin, [new RolloutStep(RolloutMode.Shadow, 1.0, 0, TimeSpan.FromMinutes(5))]);
        await WaitForCandidateAsync(replica, rollout.Id);

        for (var i = 0; i < 30; i++) Assert.Equal(production, (await PredictAsync(replica, $"shadowed-{i}")).ModelVersion);

        await Poll.UntilAsync(() => EvidenceAsync(replica), e => Evidence(e, twin).GetProperty("comparedFaces").GetInt64() == 30,
            TimeSpan.FromSeconds(20), "the candidate's 30 shadowed faces");
        var shadow = Evidence(await EvidenceAsync(replica), twin);
        Assert.Equal(1.0, shadow.GetProperty("agreement").GetDouble());
        Assert.Equal("shadow", shadow.GetProperty("role").GetString());
    }

    [Fact]
    public async Task InShadow_WorkTheAdmissionRefuses_IsDroppedAndCounted_AndProductionStillAnswers()
    {
        // No budget and production never counted idle: the shadow admission refuses every shadowed request.
        var twin = await publisher.PublishAsync(InferenceTestModels.Onnx(31));
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["Inference:Shadow:CpuShare"] = "0",
            ["Inference:Shadow:IdleBelow"] = "0",
        });
        await replica.WaitForVersionAsync(production);
        var rollout = await publisher.Rollouts.StartAsync(twin, [new RolloutStep(RolloutMode.Shadow, 1.0, 0, TimeSpan.FromMinutes(5))]);
        await WaitForCandidateAsync(replica, rollout.Id);

        for (var i = 0; i < 10; i++) Assert.Equal(production, (await PredictAsync(replica, $"refused-{i}")).ModelVersion);

        var shadow = Evidence(await EvidenceAsync(replica), twin);
        Assert.Equal(10, shadow.GetProperty("shadowDropped").GetInt64());
        Assert.Equal(0, shadow.GetProperty("comparedFaces").GetInt64());
    }

    [Fact]
    public async Task AReplicaThatStartsLate_PicksUpTheRollout_AndDropsTheCandidateWhenItEnds()
    {
        var rollout = await publisher.Rollouts.StartAsync(candidate, [new RolloutStep(RolloutMode.Canary, 1.0, 0, TimeSpan.FromMinutes(5))]);
        await using var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(production);
        await WaitForCandidateAsync(replica, rollout.Id);
        Assert.Equal(candidate, (await PredictAsync(replica, "late-1")).ModelVersion);

        await publisher.Rollouts.AbortAsync("test over");

        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Holder.Current), model => model is null,
            TimeSpan.FromSeconds(20), "the candidate to leave service");
        Assert.Equal(production, (await PredictAsync(replica, "late-1")).ModelVersion);
    }

    private static async Task WaitForCandidateAsync(InferenceHost replica, string rolloutId) =>
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rolloutId,
            TimeSpan.FromSeconds(20), $"rollout {rolloutId} to be served");

    private static async Task<PredictionResponse> PredictAsync(InferenceHost replica, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict");
        request.Headers.Add("X-Request-Id", requestId);
        request.Content = new ByteArrayContent(await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[1]));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await replica.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictionResponse>())!;
    }

    private static async Task<JsonElement> EvidenceAsync(InferenceHost replica) =>
        (await replica.Client.GetFromJsonAsync<JsonElement>("/rollout")).GetProperty("evidence");

    private static JsonElement Evidence(JsonElement evidence, string version) =>
        evidence.EnumerateArray().FirstOrDefault(v => v.GetProperty("version").GetString() == version) is { ValueKind: JsonValueKind.Object } found
            ? found
            : JsonDocument.Parse("""{"requests":0,"comparedFaces":0,"shadowDropped":0}""").RootElement;
}
