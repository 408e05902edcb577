using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Trainer.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fer.Tests.Rollouts;

/// <summary>The whole loop on real parts: a replica serving production and the candidate, reporting its evidence to a
/// real registry on redis-server, and the trainer's controller deciding on it by itself.</summary>
public sealed class RolloutControllerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly RolloutStep[] QuickPlan =
    [
        new(RolloutMode.Shadow, 0.5, MinRequests: 20, MaxDuration: TimeSpan.FromMinutes(2)),
        new(RolloutMode.Canary, 0.5, MinRequests: 20, MaxDuration: TimeSpan.FromMinutes(2)),
    ];

    private readonly string prefix = "controller-" + Guid.NewGuid().ToString("N")[..8];
    private RegistryPublisher publisher = null!;
    private InferenceHost replica = null!;
    private RolloutController controller = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(41));
        replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        await replica.WaitForVersionAsync(production);
        controller = new RolloutController(publisher.Rollouts, publisher.Registry, TimeProvider.System, NullLogger<RolloutController>.Instance);
    }

    public async Task DisposeAsync()
    {
        await replica.DisposeAsync();
        publisher.Dispose();
    }

    [Fact]
    public async Task AHealthyCandidate_GoesThroughShadowAndCanaryToProduction_WithNoFailedRequest()
    {
        var twin = await publisher.PublishAsync(InferenceTestModels.Onnx(41)); // production's own weights: agrees on every face
        await publisher.Rollouts.StartAsync(twin, QuickPlan);

        var decisions = await DriveAsync(twin, until: d => d.Kind == RolloutDecisionKind.Promoted);

        Assert.Equal([RolloutDecisionKind.Advanced, RolloutDecisionKind.Promoted], decisions.Select(d => d.Kind));
        Assert.Equal(twin, await publisher.Registry.GetProductionVersionAsync());
        Assert.Contains("\"agreement\":1", decisions[0].Evidence, StringComparison.Ordinal);
        Assert.NotNull(decisions[0].TraceId);
    }

    [Fact]
    public async Task ACandidateThatDisagrees_IsRolledBackInShadow_AndNoClientSawIt()
    {
        var shifted = await publisher.PublishAsync(InferenceTestModels.ShiftedOnnx(41));
        await publisher.Rollouts.StartAsync(shifted, QuickPlan);

        var decisions = await DriveAsync(shifted, until: d => d.Kind == RolloutDecisionKind.RolledBack);

        var rolledBack = Assert.Single(decisions);
        Assert.StartsWith("agreement with production 0 over", rolledBack.Reason, StringComparison.Ordinal);
        Assert.Equal(production, await publisher.Registry.GetProductionVersionAsync());
        Assert.Null(await publisher.Rollouts.GetAsync());
    }

    /// <summary>Sends requests (each with a new id) and lets the controller decide until <paramref name="until"/>; every
    /// request must succeed, and the candidate answers only inside canary.</summary>
    private async Task<List<RolloutDecision>> DriveAsync(string candidate, Func<RolloutDecision, bool> until)
    {
        var decisions = new List<RolloutDecision>();
        var image = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[4]);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        for (var i = 0; DateTime.UtcNow < deadline; i++)
        {
            var rollout = await publisher.Rollouts.GetAsync();
            for (var j = 0; j < 10; j++)
            {
                var answer = await PredictAsync(image, $"drive-{i}-{j}");
                if (answer.ModelVersion == candidate) Assert.Equal(RolloutMode.Canary, rollout?.Mode);
            }
            await replica.Get<EvidencePublisher>().ReportAsync();
            if (await controller.DecideOnceAsync() is { } decision)
            {
                decisions.Add(decision);
                if (until(decision)) return decisions;
            }
        }
        throw new TimeoutException($"no final decision in 90 s; decisions so far: {string.Join("; ", decisions.Select(d => d.Reason))}");
    }

    private async Task<PredictionResponse> PredictAsync(byte[] image, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict");
        request.Headers.Add("X-Request-Id", requestId);
        request.Content = new ByteArrayContent(image);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await replica.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictionResponse>())!;
    }
}
