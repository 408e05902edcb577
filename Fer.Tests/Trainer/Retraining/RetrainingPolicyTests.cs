using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Imaging;
using Fer.Registry;
using Fer.Registry.Feedback;
using Fer.Registry.Model;
using Fer.Registry.Monitoring;
using Fer.Registry.Rollouts;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.Trainer.Retraining;

/// <summary>The retraining policy on the real trainer service over a real redis-server: set and checked through the
/// API, kept across a restart, and firing a real (tiny) training run when enough labels arrived, once per cool-down.</summary>
[Collection(TrainerCollection.Name)]
public sealed class RetrainingPolicyTests(TrainerFixture fixture)
{
    /// <summary>Looks at the policy five times a second, so a test waits fractions of a second for a decision.</summary>
    private static readonly Dictionary<string, string?> FastChecks = new() { ["Retraining:CheckInterval"] = "00:00:00.200" };

    [Fact]
    public async Task ThePolicy_IsOffByDefault_RefusesBadInputNamingEachField_AndSurvivesARestart()
    {
        var prefix = TrainerFixture.NewPrefix();
        await using (var trainer = await fixture.StartAppAsync(prefix, FastChecks))
        {
            var policy = (await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy")).GetProperty("policy");
            Assert.False(policy.GetProperty("enabled").GetBoolean());
            Assert.Equal(200, policy.GetProperty("newLabels").GetInt32());
            Assert.Equal("06:00:00", policy.GetProperty("coolDown").GetString());
            Assert.Equal("00:15:00", policy.GetProperty("driftHold").GetString()); // Retraining:DriftHold's default

            using var anonymous = trainer.AnonymousClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync("/feedback/policy", new { enabled = true })).StatusCode);

            var bad = await trainer.Client.PutAsJsonAsync("/feedback/policy",
                new { enabled = true, newLabels = 0, interval = "00:00:10", coolDown = "-01:00:00", driftHold = "8.00:00:00", training = new { epochs1 = -1 } });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["coolDown", "driftHold", "interval", "newLabels", "training.epochs1"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

            var noTrigger = await trainer.Client.PutAsJsonAsync("/feedback/policy", new { enabled = true, newLabels = (int?)null, driftHold = (string?)null });
            Assert.Contains("needs a trigger", await noTrigger.Content.ReadAsStringAsync());
            var driftOnly = await trainer.Client.PutAsJsonAsync("/feedback/policy", new { enabled = true, newLabels = (int?)null });
            Assert.Equal(HttpStatusCode.OK, driftOnly.StatusCode); // the configured drift hold is a trigger of its own
            var wrongType = await trainer.Client.PutAsJsonAsync("/feedback/policy", new { enabled = "yes" });
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.Contains("'enabled'", await wrongType.Content.ReadAsStringAsync());
            var unknown = await trainer.Client.PutAsJsonAsync("/feedback/policy", new { enabled = true, drift = true });
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

            var set = await trainer.Client.PutAsJsonAsync("/feedback/policy",
                new { enabled = true, newLabels = 50, interval = "1.00:00:00", coolDown = "02:00:00", driftHold = (string?)null });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await using var restarted = await fixture.StartAppAsync(prefix, FastChecks);
        var kept = (await restarted.Client.GetFromJsonAsync<JsonElement>("/feedback/policy")).GetProperty("policy");
        Assert.True(kept.GetProperty("enabled").GetBoolean());
        Assert.Equal((50, "1.00:00:00", "02:00:00", JsonValueKind.Null),
            (kept.GetProperty("newLabels").GetInt32(), kept.GetProperty("interval").GetString(), kept.GetProperty("coolDown").GetString(),
             kept.GetProperty("driftHold").ValueKind));
    }

    [Fact]
    public async Task TheTrigger_FiresOnceWhenNLabelsArrived_NotAgainInTheCoolDown_AndItsVersionEntersARollout()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix(), FastChecks);
        var registry = trainer.Service<ModelRegistry>();
        var production = await PublishProductionAsync(registry, seed: 1);

        var set = await trainer.Client.PutAsJsonAsync("/feedback/policy", new
        {
            enabled = true, newLabels = 10, coolDown = "01:00:00",
            training = new { imageSize = 64, epochs1 = 1, epochs2 = 0, batchSize = 32, seed = 7 },
        });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var store = trainer.Service<FeedbackStore>();
        await AddLabelsAsync(store, "aa", 9);
        var waiting = await WaitForDecisionAsync(trainer, "too-few-labels");
        Assert.Contains("10 needed", waiting.GetProperty("reason").GetString()); // recorded once, at the first label seen
        Assert.Equal(9, (await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy")).GetProperty("newLabels").GetInt32());

        await AddLabelsAsync(store, "bb", 1);
        var fired = await WaitForDecisionAsync(trainer, "fired");
        Assert.Equal("10 new labels (threshold 10)", fired.GetProperty("reason").GetString());
        var jobId = fired.GetProperty("jobId").GetString()!;

        var job = await trainer.WaitUntilFinishedAsync(jobId);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        var options = job.GetProperty("options");
        Assert.Equal("rollout", options.GetProperty("promote").GetString());
        Assert.True(options.GetProperty("includeFeedback").GetBoolean());
        var result = job.GetProperty("result");
        var version = result.GetProperty("version").GetString();
        Assert.False(result.GetProperty("promoted").GetBoolean());
        Assert.StartsWith("in rollout", result.GetProperty("promotionReason").GetString());
        var started = Assert.Single(await trainer.Service<RolloutRegistry>().GetDecisionsAsync(), d => d.Kind == RolloutDecisionKind.Started);
        Assert.Equal((version, production.Version), (started.Candidate, (await registry.GetProductionVersionAsync())));

        // More labels than the threshold again, inside the cool-down: skipped, and no second run.
        await AddLabelsAsync(store, "cc", 12);
        var cooling = await WaitForDecisionAsync(trainer, "cooling-down");
        Assert.Contains($"last run {jobId}", cooling.GetProperty("reason").GetString());
        var view = await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy");
        Assert.Equal(12, view.GetProperty("newLabels").GetInt32());
        Assert.Equal(jobId, view.GetProperty("last").GetProperty("lastJobId").GetString());
        Assert.Single(view.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("kind").GetString() == "fired");
        var jobs = await trainer.Client.GetFromJsonAsync<JsonElement>("/train");
        Assert.Equal([jobId], jobs.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ProductionsDriftAlarm_FiresARun_OnlyOnceItHasHeldThePolicysDriftHold_AndNeverWithoutOne()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix(),
            new Dictionary<string, string?>(FastChecks) { ["Retraining:DriftHold"] = "00:05:00" });
        var registry = trainer.Service<ModelRegistry>();
        var production = await PublishProductionAsync(registry, seed: 2);
        Task<HttpResponseMessage> SetPolicyAsync(string? driftHold) => trainer.Client.PutAsJsonAsync("/feedback/policy", new
        {
            enabled = true, newLabels = 1_000_000, coolDown = "01:00:00", driftHold,
            training = new { imageSize = 64, epochs1 = 1, epochs2 = 0, batchSize = 32, seed = 7 },
        });
        var set = await SetPolicyAsync(driftHold: null);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("driftHold").ValueKind);

        // A replica's report: production's brightness in alarm for one minute (held less than 5), then for ten.
        var drift = trainer.Service<DriftRegistry>();
        Task ReportAsync(TimeSpan held) => drift.ReportAsync(new DriftReport("replica-a", DateTimeOffset.UtcNow,
            [new VersionDrift(production.Version, true, 1_000, 1_000, new Dictionary<string, double> { ["brightness"] = 40 },
                ["brightness"], DateTimeOffset.UtcNow - held, 0.5, 0.5, 0.6, 1.0)]));
        // No drift trigger in the policy: an alarm held for ten minutes starts nothing.
        await ReportAsync(TimeSpan.FromMinutes(10));
        await WaitForDecisionAsync(trainer, "too-few-labels");
        await Task.Delay(TimeSpan.FromSeconds(1)); // five looks at the policy with the alarm in place
        await AssertNothingFiredAsync();

        // A drift hold of five minutes, the configured one (a policy that does not name it takes Retraining:DriftHold):
        // an alarm held for one minute starts nothing, one held for ten does.
        var withHold = await trainer.Client.PutAsJsonAsync("/feedback/policy", new { enabled = true, newLabels = 1_000_000, coolDown = "01:00:00",
            training = new { imageSize = 64, epochs1 = 1, epochs2 = 0, batchSize = 32, seed = 7 } });
        Assert.Equal("00:05:00", (await withHold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("driftHold").GetString());
        await ReportAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await AssertNothingFiredAsync();

        await ReportAsync(TimeSpan.FromMinutes(10));
        var fired = await WaitForDecisionAsync(trainer, "fired");
        Assert.StartsWith($"drift alarm: brightness on {production.Version} since ", fired.GetProperty("reason").GetString());
        var job = await trainer.WaitUntilFinishedAsync(fired.GetProperty("jobId").GetString()!);
        Assert.Equal("rollout", job.GetProperty("options").GetProperty("promote").GetString());

        async Task AssertNothingFiredAsync() => Assert.DoesNotContain(
            (await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy")).GetProperty("decisions").EnumerateArray(),
            d => d.GetProperty("kind").GetString() == "fired");
    }

    [Fact]
    public async Task TwoTrainersOnOneRedis_StartOneRunBetweenThem()
    {
        var prefix = TrainerFixture.NewPrefix();
        await using var first = await fixture.StartAppAsync(prefix, FastChecks);
        await using var second = await fixture.StartAppAsync(prefix, FastChecks);
        var set = await first.Client.PutAsJsonAsync("/feedback/policy", new
        {
            enabled = true, newLabels = 10, coolDown = "00:00:00",
            training = new { imageSize = 64, epochs1 = 1, epochs2 = 0, batchSize = 32, seed = 7, promote = "never" },
        });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        await AddLabelsAsync(first.Service<FeedbackStore>(), "dd", 10);
        var fired = await WaitForDecisionAsync(first, "fired");
        await first.WaitUntilFinishedAsync(fired.GetProperty("jobId").GetString()!);
        await Task.Delay(TimeSpan.FromSeconds(1)); // five more looks by each trainer: the labels were used, nothing more fires

        var view = await second.Client.GetFromJsonAsync<JsonElement>("/feedback/policy");
        Assert.Single(view.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("kind").GetString() == "fired");
        Assert.Equal(0, view.GetProperty("newLabels").GetInt32());
        Assert.Single((await first.Client.GetFromJsonAsync<JsonElement>("/train")).GetProperty("jobs").EnumerateArray());
    }

    /// <summary>Stores <paramref name="count"/> labels of 48x48 noise faces, as replicas store what users label.</summary>
    private static async Task AddLabelsAsync(FeedbackStore store, string prefix, int count)
    {
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal));
        string[] emotions = ["angry", "happy", "sad", "neutral", "surprise"];
        for (var i = 0; i < count; i++)
        {
            var pixels = Enumerable.Range(0, FaceImage.PixelCount).Select(_ => (float)random.NextDouble()).ToArray();
            await store.AddAsync(new FeedbackEntry($"{prefix}-{i}", emotions[i % emotions.Length], "neutral", "v0001-x",
                new Dictionary<string, float> { ["neutral"] = 0.5f }, new FaceImage(pixels, 48, 48).ToPng(), DateTimeOffset.UtcNow));
        }
    }

    /// <summary>Publishes random bytes as a version and promotes it: a production for the policy to roll out against.</summary>
    private static async Task<ModelVersionInfo> PublishProductionAsync(ModelRegistry registry, int seed)
    {
        var production = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = new Random(seed).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 10_000),
            MetricsJson = """{"valMacroF1":0.1}""",
            ImageSize = 64,
            DatasetFingerprint = "test",
        }, CancellationToken.None);
        await registry.PromoteAsync(production.Version);
        return production;
    }

    /// <summary>Polls GET /feedback/policy until a recent decision is of <paramref name="kind"/>; returns the newest such.</summary>
    private static async Task<JsonElement> WaitForDecisionAsync(TrainerTestApp trainer, string kind)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement view;
        do
        {
            view = await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy");
            // Any recent one: the next look may already have recorded another (a fired run is followed by a skip).
            if (view.GetProperty("decisions").EnumerateArray().FirstOrDefault(d => d.GetProperty("kind").GetString() == kind)
                is { ValueKind: JsonValueKind.Object } found)
                return found;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"no '{kind}' decision in 30 s; last: {view}");
        return default;
    }
}
