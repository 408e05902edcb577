using System.Net.Http.Json;
using System.Text.Json;
using Fer.Imaging;
using Fer.Registry;
using Fer.Registry.Feedback;
using Fer.Registry.Model;
using Fer.Registry.Monitoring;
using Fer.Tests.Browser;
using Fer.Tests.Trainer.Apis;
using Microsoft.Playwright;

namespace Fer.Tests.Gateway;

/// <summary>
/// The monitoring and retraining policy panels in Debian's Chromium: the real gateway in front of the real trainer on a
/// real redis-server. The drift reports are written to Redis as replicas write them (DriftReplayTests cover how a
/// replica computes them), the labels as replicas store them, so the page can be shown an alarm that holds and clears.
/// </summary>
[Trait("Category", "Browser")]
[Collection(TrainerCollection.Name)]
public sealed class WebPageMonitoringBrowserTests(ChromiumFixture chromium, TrainerFixture trainers) : IClassFixture<ChromiumFixture>
{
    private static readonly Dictionary<string, string?> FastChecks = new() { ["Retraining:CheckInterval"] = "00:00:00.200" };

    [Fact]
    public async Task ThePage_ShowsEachVersionsDriftAndAccuracies_WarnsWhileInAlarm_Live_AndSetsTheRetrainingPolicy()
    {
        await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix(), FastChecks);
        var registry = trainer.Service<ModelRegistry>();
        var production = await PublishAsync(registry, seed: 1);
        await registry.PromoteAsync(production);
        var other = await PublishAsync(registry, seed: 2);
        var drift = trainer.Service<DriftRegistry>();
        var alarmSince = DateTimeOffset.UtcNow.AddMinutes(-3);
        await drift.ReportAsync(new DriftReport("replica-a", DateTimeOffset.UtcNow, [
            new VersionDrift(production, true, 5_000, 1_000,
                new Dictionary<string, double> { ["class"] = 1.04, ["confidence"] = 3.2, ["brightness"] = 41.23, ["sharpness"] = 12.5 },
                ["brightness", "sharpness"], alarmSince, 0.5123, 0.4, 0.6737, 0.83),
            new VersionDrift(other, true, 400, 400, new Dictionary<string, double> { ["class"] = 0.5 }, [], null, 0.69, 0.68, 0.66, 0.9)]));
        var feedback = trainer.Service<FeedbackStore>();
        await AddLabelAsync(feedback, "a-1", production, answered: "happy", label: "happy");
        await AddLabelAsync(feedback, "a-2", production, answered: "sad", label: "sad");
        await AddLabelAsync(feedback, "a-3", production, answered: "sad", label: "fear");
        await using var gateway = await GatewayHost.StartAsync([new Uri("http://127.0.0.1:9/")], trainer.Client.BaseAddress);

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");

        // Production first, in alarm: the statistics named, their scores, the three accuracies, and the warning.
        var panels = page.Locator("#monitoring-versions article.monitor");
        await Assertions.Expect(panels).ToHaveCountAsync(2);
        await Assertions.Expect(panels.First).ToHaveAttributeAsync("data-version", production);
        var shown = page.Locator($"#monitoring-versions article[data-version='{production}']");
        await Assertions.Expect(shown.Locator("h3")).ToContainTextAsync("production");
        await Assertions.Expect(shown.Locator("[data-drift-state]")).ToHaveTextAsync("drift alarm");
        await Assertions.Expect(shown.Locator("[data-alarm]")).ToContainTextAsync("Drift alarm: brightness, sharpness since ");
        await Assertions.Expect(shown.Locator("tr[data-statistic=brightness] td").First).ToHaveTextAsync("41.2");
        await Assertions.Expect(shown.Locator("tr[data-statistic=brightness]")).ToHaveClassAsync("alarm");
        await Assertions.Expect(shown.Locator("tr[data-statistic=class]")).ToContainTextAsync("ok");
        Assert.Equal(["Predicted class", "Confidence", "Brightness", "Sharpness"], await shown.Locator("table.scores tbody th").AllTextContentsAsync());
        await Assertions.Expect(shown.Locator("[data-metric=offline] dd")).ToHaveTextAsync("67.4%");
        await Assertions.Expect(shown.Locator("[data-metric=estimate] dd")).ToHaveTextAsync("51.2% · 1,000 faces");
        await Assertions.Expect(shown.Locator("[data-metric=feedback] dd")).ToHaveTextAsync("66.7% · 2 of 3 labels");
        await Assertions.Expect(shown.Locator("[data-unreliable]")).ToContainTextAsync("The label-free estimate is unreliable while this version is in drift alarm");
        var clear = page.Locator($"#monitoring-versions article[data-version='{other}']");
        await Assertions.Expect(clear.Locator("[data-drift-state]")).ToHaveTextAsync("no drift");
        await Assertions.Expect(clear.Locator("[data-metric=feedback] dd")).ToHaveTextAsync("no labels yet");
        await Assertions.Expect(clear.Locator("[data-unreliable]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#monitoring-live")).ToHaveTextAsync("live");
        await page.Locator("#monitoring").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "monitoring-alarm");

        // Live: the alarm clears on the replica, which stops reporting the other version, and labels arrive; the page
        // follows without a reload.
        await drift.ReportAsync(new DriftReport("replica-a", DateTimeOffset.UtcNow, [
            new VersionDrift(production, true, 6_000, 1_000, new Dictionary<string, double> { ["brightness"] = 2.5 }, [], null, 0.67, 0.66, 0.6737, 0.83)]));
        await AddLabelAsync(feedback, "a-4", production, answered: "fear", label: "fear");
        await AddLabelAsync(feedback, "b-1", other, answered: "happy", label: "happy");
        await Assertions.Expect(shown.Locator("[data-drift-state]")).ToHaveTextAsync("no drift", new() { Timeout = 15_000 });
        await Assertions.Expect(shown.Locator("[data-unreliable]")).ToHaveCountAsync(0);
        await Assertions.Expect(shown.Locator("[data-metric=feedback] dd")).ToHaveTextAsync("75.0% · 3 of 4 labels");
        await Assertions.Expect(clear.Locator("[data-drift-state]")).ToHaveTextAsync("no live traffic");
        await Assertions.Expect(clear.Locator("[data-metric=feedback] dd")).ToHaveTextAsync("100.0% · 1 of 1 labels");
        await Assertions.Expect(clear.Locator("[data-metric=estimate] dd")).ToHaveTextAsync("–");
        await Assertions.Expect(clear.Locator("[data-metric=offline] dd")).ToHaveTextAsync("61.2%"); // from the registry's metrics

        // The policy: off by default, with the configured drift hold; a bad field is named, the key is asked for.
        await Assertions.Expect(page.Locator("#retraining-state")).ToHaveTextAsync("off");
        await Assertions.Expect(page.Locator("#policy-drift-hold")).ToHaveValueAsync("00:15:00");
        await Assertions.Expect(page.Locator("#policy-new-labels")).ToHaveValueAsync("200");
        await Assertions.Expect(page.Locator("#retraining-decisions")).ToHaveTextAsync("The policy is off: it decides nothing.");
        await page.CheckAsync("#policy-enabled");
        await page.FillAsync("#policy-interval", "00:00:10");
        await page.ClickAsync("#policy-save");
        await Assertions.Expect(page.Locator("#retraining-error")).ToContainTextAsync("Admin key required");
        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await page.ClickAsync("#policy-save");
        await Assertions.Expect(page.Locator("#retraining-error")).ToContainTextAsync("Invalid retraining policy");
        await Assertions.Expect(page.Locator("#retraining-error")).ToContainTextAsync("interval: 'interval' must be at least 00:01:00");
        await page.FillAsync("#policy-training", "{epochs1: 1}");
        await page.ClickAsync("#policy-save");
        await Assertions.Expect(page.Locator("#retraining-error")).ToContainTextAsync("Invalid training settings");
        Assert.False((await PolicyAsync(trainer)).GetProperty("policy").GetProperty("enabled").GetBoolean());

        await page.FillAsync("#policy-interval", "");
        await page.FillAsync("#policy-new-labels", "100");
        await page.FillAsync("#policy-drift-hold", "00:30:00");
        await page.FillAsync("#policy-cool-down", "02:00:00");
        await page.FillAsync("#policy-training", """{"epochs1": 1, "epochs2": 0}""");
        await page.ClickAsync("#policy-save");
        await Assertions.Expect(page.Locator("#retraining-message")).ToHaveTextAsync("Saved: the policy is on.");
        await Assertions.Expect(page.Locator("#retraining-error")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#retraining-state")).ToHaveTextAsync("on");
        var saved = (await PolicyAsync(trainer)).GetProperty("policy");
        Assert.Equal((true, 100, JsonValueKind.Null, "00:30:00", "02:00:00", 1),
            (saved.GetProperty("enabled").GetBoolean(), saved.GetProperty("newLabels").GetInt32(), saved.GetProperty("interval").ValueKind,
             saved.GetProperty("driftHold").GetString(), saved.GetProperty("coolDown").GetString(), saved.GetProperty("training").GetProperty("epochs1").GetInt32()));

        // The trainer's decision, with its reason, reaches the page live.
        await Assertions.Expect(page.Locator("#retraining-decisions li[data-kind=too-few-labels] .reason"))
            .ToHaveTextAsync("too few labels: 5 new since the last run, 100 needed", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#retraining-summary")).ToHaveTextAsync("It has started no run yet. 5 new labels since.");
        await page.Locator("#retraining").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "retraining-policy");

        // A page opened later shows the saved policy in its form.
        var later = await context.NewPageAsync();
        await later.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(later.Locator("#policy-enabled")).ToBeCheckedAsync();
        await Assertions.Expect(later.Locator("#policy-drift-hold")).ToHaveValueAsync("00:30:00");
        await Assertions.Expect(later.Locator("#policy-interval")).ToHaveValueAsync("");
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("400", StringComparison.Ordinal) && !e.Contains("401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProductionWithoutAReference_IsShownUnwatched_AndOneClickAttachesOne()
    {
        await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        // As a trainer from before monitoring references published it: metrics without "monitoring".
        var bare = (await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = await File.ReadAllBytesAsync(Fer.Tests.Monitoring.BundledReplay.ModelPath),
            MetricsJson = """{"valMacroF1":0.66,"valAccuracy":0.674}""",
            ImageSize = 48,
        }, CancellationToken.None)).Version;
        await registry.PromoteAsync(bare);
        await using var gateway = await GatewayHost.StartAsync([new Uri("http://127.0.0.1:9/")], trainer.Client.BaseAddress);

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(gateway.Address.ToString());
        var shown = page.Locator($"#monitoring-versions article[data-version='{bare}']");
        await Assertions.Expect(shown.Locator("[data-drift-state]")).ToHaveTextAsync("not watched");
        await Assertions.Expect(shown.Locator("[data-reference]")).ToContainTextAsync("it carries no monitoring reference");

        // Without the key the page asks for it; with it, the trainer computes the reference and the panel says so.
        await shown.Locator("[data-attach-reference]").ClickAsync();
        await Assertions.Expect(page.Locator("#monitoring-error")).ToContainTextAsync("Admin key required");
        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await shown.Locator("[data-attach-reference]").ClickAsync();
        await Assertions.Expect(shown.Locator("[data-drift-state]")).ToHaveTextAsync("reference attached", new() { Timeout = 60_000 });
        await Assertions.Expect(shown.Locator("[data-attach-reference]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#monitoring-error")).ToBeHiddenAsync();
        var read = await trainer.Client.GetFromJsonAsync<JsonElement>($"/models/{bare}/monitoring-reference");
        Assert.Equal("attached", read.GetProperty("origin").GetString());
        await page.Locator("#monitoring").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "monitoring-reference-attached");

        // A page opened later asks the trainer and knows it.
        var later = await context.NewPageAsync();
        await later.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(later.Locator($"#monitoring-versions article[data-version='{bare}'] [data-drift-state]")).ToHaveTextAsync("reference attached");
    }

    private static async Task<string> PublishAsync(ModelRegistry registry, int seed) =>
        (await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = new Random(seed).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 10_000),
            MetricsJson = """{"valMacroF1":0.5,"valAccuracy":0.612}""",
            ImageSize = 48,
            DatasetFingerprint = "monitoring-page",
        }, CancellationToken.None)).Version;

    private static Task AddLabelAsync(FeedbackStore store, string id, string version, string answered, string label) =>
        store.AddAsync(new FeedbackEntry(id, label, answered, version, new Dictionary<string, float> { [answered] = 0.6f },
            new FaceImage(new float[FaceImage.PixelCount], 48, 48).ToPng(), DateTimeOffset.UtcNow));

    private static async Task<JsonElement> PolicyAsync(TrainerTestApp trainer) =>
        await trainer.Client.GetFromJsonAsync<JsonElement>("/feedback/policy");
}
