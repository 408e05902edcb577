using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fer.Inference.Rollouts;
using Fer.Registry;
using Fer.Registry.Model;
using Fer.Tests.Browser;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fer.Tests.Gateway;

/// <summary>
/// The registry view's rollout in Debian's Chromium, on real parts: the real gateway in front of the real trainer
/// (its controller deciding every 2 s) and a real inference replica serving production and the candidate from a real
/// redis-server; the test sends predictions through the gateway so that the replica gathers evidence.
/// </summary>
[Trait("Category", "Browser")]
[Collection(TrainerCollection.Name)]
public sealed partial class WebPageRolloutBrowserTests(ChromiumFixture chromium, TrainerFixture trainers, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task RollingOutFromThePage_ShowsShadowLive_WithTheEvidence_AbortEndsIt_AndTheControllersDecisionAppears()
    {
        var prefix = TrainerFixture.NewPrefix();
        await using var trainer = await trainers.StartAppAsync(prefix);
        var registry = trainer.Service<ModelRegistry>();
        var production = await PublishAsync(registry, seed: 41, valMacroF1: 0.40);
        await registry.PromoteAsync(production);
        var candidate = await PublishAsync(registry, seed: 41, valMacroF1: 0.41); // production's own weights: agrees on every face
        var other = await PublishAsync(registry, seed: 43, valMacroF1: 0.39);
        await using var replica = await InferenceHost.StartWithRegistryAsync(trainers.Redis.ConnectionString, $"{prefix}-registry");
        await replica.WaitForVersionAsync(production);
        await using var gateway = await GatewayHost.StartAsync([replica.Client.BaseAddress!], trainer.Client.BaseAddress,
            new Dictionary<string, string?> { ["Gateway:Limits:PredictPermitLimit"] = "1000000" });
        using var client = gateway.CreateClient();
        var image = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[4]);
        await WaitForPredictionsAsync(client, image);

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        var candidateRow = page.Locator($"#models-body tr[data-version='{candidate}']");
        await Assertions.Expect(candidateRow).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rollout")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator($"#models-body tr[data-version='{production}'] button[data-rollout]")).ToBeDisabledAsync();

        // Start: the panel shows shadow 50 % at step 1 of the default plan, the table marks the candidate, the log says started.
        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await candidateRow.Locator("button[data-rollout]").ClickAsync();
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"Started the rollout of {candidate} beside {production}: shadow 50 % first.");
        await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("shadow 50 %");
        await Assertions.Expect(page.Locator("#rollout-title-version")).ToHaveTextAsync(candidate);
        await Assertions.Expect(page.Locator("#rollout-summary")).ToHaveTextAsync(StepOneOfFour());
        await Assertions.Expect(page.Locator("#rollout-plan li[aria-current=step]")).ToHaveTextAsync("shadow 50 %");
        await Assertions.Expect(page.Locator("#rollout-gates")).ToContainTextAsync("of 200 requests (shadow 50 %)");
        await Assertions.Expect(candidateRow).ToContainTextAsync("in rollout");
        await Assertions.Expect(candidateRow.Locator("button[data-rollout]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#rollout-decisions li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#rollout-decisions li[data-kind=started]")).ToContainTextAsync("started through the trainer's models API");
        var started = (await RolloutAsync(trainer)).GetProperty("rollout");
        Assert.Equal(candidate, started.GetProperty("candidate").GetString());
        var rolloutId = started.GetProperty("id").GetString();
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == rolloutId,
            TimeSpan.FromSeconds(20), $"rollout {rolloutId} to be served by the replica");

        // One rollout at a time: the trainer's 409 is shown in its words.
        await page.Locator($"#models-body tr[data-version='{other}'] button[data-rollout]").ClickAsync();
        await Assertions.Expect(page.Locator("#models-error")).ToContainTextAsync("Rollout not started");
        await Assertions.Expect(page.Locator("#models-error")).ToContainTextAsync($"model version '{candidate}' is in rollout already");
        await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("shadow 50 %");

        // Evidence: a few predictions, then the page shows what the API says, side by side. Twenty at most, so the
        // candidate has fewer than the 20 samples a gate needs to fail: nothing but this test's abort ends the rollout.
        await PredictAsync(client, image, 20);
        var shown = await WaitForEvidenceOnPageAsync(page, trainer, candidate, productionRequests: 20);
        var candidateEvidence = shown.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("version").GetString() == candidate);
        var productionEvidence = shown.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("version").GetString() == production);
        Assert.InRange(candidateEvidence.GetProperty("requests").GetInt64(), 1, 19);
        await Assertions.Expect(Cell(page, "requests", "production")).ToHaveTextAsync("20");
        await Assertions.Expect(Cell(page, "errorRate", "candidate")).ToHaveTextAsync("0.0% (0)");
        await Assertions.Expect(Cell(page, "agreement", "candidate")).ToHaveTextAsync(
            $"1.000 ({candidateEvidence.GetProperty("comparedFaces").GetInt64()} faces)");
        await Assertions.Expect(Cell(page, "latencyP95Ms", "candidate")).ToHaveTextAsync(Milliseconds(candidateEvidence.GetProperty("latencyP95Ms").GetDouble()));
        // In shadow the latency gate's two figures sit side by side: production run alike on the shadowed faces, the candidate.
        await Assertions.Expect(Cell(page, "baselineLatencyP95Ms", "production")).ToHaveTextAsync(
            candidateEvidence.TryGetProperty("baselineLatencyP95Ms", out var alike) && alike.ValueKind == JsonValueKind.Number ? Milliseconds(alike.GetDouble()) : "–");
        await Assertions.Expect(Cell(page, "baselineLatencyP95Ms", "candidate")).ToHaveTextAsync(Milliseconds(candidateEvidence.GetProperty("latencyP95Ms").GetDouble()));
        await Assertions.Expect(Cell(page, "meanConfidence", "production")).ToHaveTextAsync(
            productionEvidence.GetProperty("meanConfidence").GetDouble().ToString("F3", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#rollout-gates")).ToHaveTextAsync(shown.GetProperty("gates").GetString()!);
        // The disagreement matrix: 7 x 7 with the emotions; the twin agrees on every face, so only the diagonal counts.
        var matrix = await page.Locator("#rollout-matrix table.confusion tbody tr").EvaluateAllAsync<int[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td.cell')].map(c => parseInt(c.textContent)))");
        Assert.Equal(7, matrix.Length);
        Assert.All(matrix, row => Assert.Equal(7, row.Length));
        Assert.Equal(candidateEvidence.GetProperty("comparedFaces").GetInt64(), Enumerable.Range(0, 7).Sum(i => matrix[i][i]));
        Assert.Equal(0, matrix.SelectMany((row, i) => row.Where((_, j) => j != i)).Sum());
        Assert.Equal(["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
            await page.Locator("#rollout-matrix table.confusion tbody th").AllTextContentsAsync());
        await Screenshots.SaveAsync(page, "rollout-shadow");

        // Abort: the log says so (newest first), the panel keeps the ended rollout's log, production is unchanged.
        await page.ClickAsync("#rollout-abort");
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"Aborted the rollout of {candidate}; production is unchanged.");
        await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("aborted");
        await Assertions.Expect(page.Locator("#rollout-title")).ToHaveTextAsync($"Latest rollout of {candidate}");
        await Assertions.Expect(page.Locator("#rollout-decisions li").First).ToHaveAttributeAsync("data-kind", "aborted");
        Assert.Equal(["aborted", "started"], await page.Locator("#rollout-decisions li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)"));
        await Assertions.Expect(page.Locator("#rollout-decisions li[data-kind=aborted] .reason")).ToHaveTextAsync("aborted through the trainer's models API");
        await Assertions.Expect(page.Locator("#rollout-abort")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#rollout-running")).ToBeHiddenAsync();
        await Assertions.Expect(candidateRow).Not.ToContainTextAsync("in rollout");
        await Assertions.Expect(candidateRow.Locator("button[data-rollout]")).ToBeEnabledAsync();
        Assert.Equal(JsonValueKind.Null, (await RolloutAsync(trainer)).GetProperty("rollout").ValueKind);
        Assert.Equal(production, await registry.GetProductionVersionAsync());
        await Screenshots.SaveAsync(page, "rollout-aborted");

        // A second rollout, fed until the trainer's controller decides by itself: the page shows that decision live, as the
        // API records it. The twin should pass shadow; on a busy 2-core machine the latency gate has also rolled it back
        // (its first shadow runs on a cold session), so the test follows whichever decision the controller took.
        await candidateRow.Locator("button[data-rollout]").ClickAsync();
        await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("shadow 50 %");
        await Assertions.Expect(page.Locator("#rollout-decisions li")).ToHaveCountAsync(1);
        var second = (await RolloutAsync(trainer)).GetProperty("rollout").GetProperty("id").GetString();
        await Poll.UntilAsync(() => Task.FromResult(replica.Get<CandidateModel>().Target), target => target?.RolloutId == second,
            TimeSpan.FromSeconds(20), $"rollout {second} to be served by the replica");
        var sent = 0;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await page.Locator("#rollout-decisions li").CountAsync() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no decision after {sent} predictions; gates: {await page.Locator("#rollout-gates").TextContentAsync()}");
            sent += await PredictAsync(client, image, sent < 400 ? 100 : 20);
            await Task.Delay(250);
        }
        var decided = (await RolloutAsync(trainer)).GetProperty("decisions")[0];
        var kind = decided.GetProperty("kind").GetString();
        await Assertions.Expect(page.Locator("#rollout-decisions li").First).ToHaveAttributeAsync("data-kind", kind!);
        await Assertions.Expect(page.Locator("#rollout-decisions li .reason").First).ToHaveTextAsync(decided.GetProperty("reason").GetString()!);
        await page.Locator("#rollout-decisions li summary").First.ClickAsync();
        await Assertions.Expect(page.Locator("#rollout-decisions li pre").First).ToContainTextAsync("\"candidate\": {");
        await Assertions.Expect(page.Locator("#rollout-decisions li").First).ToContainTextAsync(decided.GetProperty("traceId").GetString()!);
        output.WriteLine($"{sent} predictions through the gateway until the controller decided: {kind}: {decided.GetProperty("reason").GetString()}");
        if (kind == "advanced")
        {
            Assert.StartsWith("every gate held over", decided.GetProperty("reason").GetString(), StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("canary 10 %");
            await Assertions.Expect(page.Locator("#rollout-summary")).ToContainTextAsync("step 2 of 4");
            await Assertions.Expect(page.Locator("#rollout-plan li.done")).ToHaveTextAsync("shadow 50 %");
            await Assertions.Expect(page.Locator("#rollout-matrix")).ToContainTextAsync("faces are compared in shadow only");
            await Assertions.Expect(page.Locator("#rollout-matrix-caption")).ToBeHiddenAsync();
            await Screenshots.SaveAsync(page, "rollout-canary");
            await page.ClickAsync("#rollout-abort");
            await Assertions.Expect(page.Locator("#rollout-decisions li").First).ToHaveAttributeAsync("data-kind", "aborted");
        }
        else
        {
            Assert.Equal("rolledBack", kind);
            await Assertions.Expect(page.Locator("#rollout-mode")).ToHaveTextAsync("rolled back");
            await Assertions.Expect(page.Locator("#rollout-abort")).ToBeHiddenAsync();
            await Screenshots.SaveAsync(page, "rollout-rolled-back");
        }
        await Assertions.Expect(candidateRow).Not.ToContainTextAsync("in rollout");
        Assert.Equal(production, await registry.GetProductionVersionAsync());
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("409", StringComparison.Ordinal));

        // A page opened later shows the ended rollout's log, and nothing scrolls sideways on a phone.
        await using var phoneContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(phone.Locator("#rollout-decisions li").First).ToHaveAttributeAsync("data-kind", kind == "advanced" ? "aborted" : "rolledBack");
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the page must not scroll sideways on a phone");
        await phone.Locator("#rollout").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(phone, "rollout-ended-phone");
    }

    private static async Task<string> PublishAsync(ModelRegistry registry, int seed, double valMacroF1) =>
        (await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = InferenceTestModels.Onnx(seed),
            MetricsJson = $$"""{"valMacroF1":{{valMacroF1.ToString(CultureInfo.InvariantCulture)}}}""",
            ImageSize = 48,
            DatasetFingerprint = "rollout-page",
        })).Version;

    private static ILocator Cell(IPage page, string measure, string version) =>
        page.Locator($"#rollout-evidence-body tr[data-measure={measure}] td[data-version={version}]");

    private static async Task<JsonElement> RolloutAsync(TrainerTestApp trainer) =>
        await trainer.Client.GetFromJsonAsync<JsonElement>("/models/rollout");

    /// <summary>Waits until the page's numbers are those of the API and the API's have stopped moving (the replica
    /// reports every 2 s), so that what the test compares is one state.</summary>
    private static async Task<JsonElement> WaitForEvidenceOnPageAsync(IPage page, TrainerTestApp trainer, string candidate, int productionRequests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var api = await RolloutAsync(trainer);
            var requests = api.GetProperty("evidence").EnumerateArray()
                .Where(e => e.GetProperty("version").GetString() == candidate)
                .Select(e => e.GetProperty("requests").GetInt64().ToString("N0", CultureInfo.InvariantCulture)).FirstOrDefault();
            var production = api.GetProperty("evidence").EnumerateArray().Sum(e => e.GetProperty("version").GetString() == candidate ? 0 : e.GetProperty("requests").GetInt64());
            if (requests is not null && production == productionRequests
                && await Cell(page, "requests", "candidate").TextContentAsync() == requests
                && await Cell(page, "requests", "production").TextContentAsync() == productionRequests.ToString(CultureInfo.InvariantCulture))
                return api;
            Assert.True(DateTime.UtcNow < deadline, $"the page did not show the evidence in 30 s; the API says {api}");
            await Task.Delay(250);
        }
    }

    /// <summary>Sends <paramref name="count"/> predictions through the gateway, one after another; every one must succeed.
    /// One at a time, as RolloutControllerTests do (while the latency gate still counted queue waits, four at a time made
    /// the twin's shadow runs, which wait behind production's, look 3 x slower).</summary>
    private static async Task<int> PredictAsync(HttpClient client, byte[] image, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await SendAsync(client, image, CancellationToken.None);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/predict: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return count;
    }

    /// <summary>The gateway routes once its health check has seen the replica (every second here).</summary>
    private static async Task WaitForPredictionsAsync(HttpClient client, byte[] image)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await SendAsync(client, image, CancellationToken.None);
            if (response.IsSuccessStatusCode) return;
            Assert.True(DateTime.UtcNow < deadline, $"the gateway did not route /predict in 30 s: {(int)response.StatusCode}");
            await Task.Delay(200);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, byte[] image, CancellationToken cancellation)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return client.PostAsync("/predict", content, cancellation);
    }

    private static string Milliseconds(double value) =>
        value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    [GeneratedRegex(@"step 1 of 4 · \d+ s in this step \(at most 10 min 00 s, needs 200 candidate requests\)$")]
    private static partial Regex StepOneOfFour();
}
