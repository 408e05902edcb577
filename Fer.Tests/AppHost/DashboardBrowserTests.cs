using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.AppHost.Supervision;
using Fer.Tests.Browser;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fer.Tests.AppHost;

/// <summary>
/// The dashboard in Debian's Chromium, against a whole system started as `dotnet Fer.AppHost.dll` (redis-server,
/// trainer, two inference replicas, gateway): the resources page, a trace's waterfall, the training page following a
/// tiny run started through the gateway, and the models page promoting and rolling back with the admin key.
/// </summary>
[Trait("Category", "Browser")]
[Collection(AppHostSystemCollection.Name)]
public sealed class DashboardBrowserTests(AppHostSystemFixture system, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<AppHostSystemFixture>, IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private AppHostProcess Host => system.Host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
    }

    [Fact]
    public async Task ResourcesPage_ListsEveryResource_AsRunning()
    {
        var page = await OpenAsync("resources");

        var rows = page.Locator("#resource-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        var replicas = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.replica, r.cells[2].textContent])");
        Assert.Equal(["gateway-0", "inference-0", "inference-1", "redis-0", "trainer-0"], replicas.Select(r => r[0]).Order());
        Assert.All(replicas, r => Assert.Equal("Running", r[1]));
        await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync("all up");

        await Screenshots.SaveAsync(page, "dashboard-resources");
    }

    [Fact]
    public async Task TraceView_ShowsTheWaterfall_OfARequestMadeThroughTheGateway()
    {
        // GET /models goes gateway -> trainer: a trace with spans in two services.
        var requestId = "dashboard-test-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/models");
        request.Headers.Add("X-Request-Id", requestId);
        Assert.Equal(HttpStatusCode.OK, (await Host.Gateway.SendAsync(request)).StatusCode);
        var spans = await Poll.UntilAsync(() => Host.TraceOfRequestAsync(requestId, "/models"),
            found => found.Any(span => span.GetProperty("service").GetString() == "trainer"), Patience, $"the trace of request {requestId}");
        var traceId = spans[0].GetProperty("traceId").GetString()!;

        var page = await OpenAsync($"trace={traceId}");

        await Assertions.Expect(page.Locator("#trace-id")).ToHaveTextAsync(traceId);
        var rows = page.Locator("#waterfall .row");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var labels = await page.Locator("#waterfall .label").AllTextContentsAsync();
        Assert.True(labels.Count >= 3, $"the waterfall has {labels.Count} rows: {string.Join(" | ", labels)}");
        Assert.StartsWith("gateway: ", labels[0]);
        Assert.Contains(labels, label => label.StartsWith("trainer: ", StringComparison.Ordinal));
        // Every bar lies within the lane: the root spans the whole trace, children start at or after it.
        var bars = await page.Locator("#waterfall .bar").EvaluateAllAsync<double[][]>(
            "bars => bars.map(b => [parseFloat(b.style.left), parseFloat(b.style.width)])");
        Assert.Equal(0, bars[0][0], 3);
        Assert.All(bars, bar => Assert.InRange(bar[0] + bar[1], 0, 100.5));

        // A span's attributes open below the waterfall.
        await rows.First.ClickAsync();
        await Assertions.Expect(page.Locator("#span-detail")).ToContainTextAsync("fer.request_id");
        await Assertions.Expect(page.Locator("#span-detail")).ToContainTextAsync(requestId);

        await Screenshots.SaveAsync(page, "dashboard-trace-waterfall");
    }

    [Fact]
    public async Task TrainingPage_FollowsATinyRun_AndModelsPage_PromotesAndRollsBackWithTheAdminKey()
    {
        var timer = Stopwatch.StartNew();
        using var data = new TinyFerData();
        var page = await OpenAsync("training");
        await Assertions.Expect(page.Locator("#job-table tbody tr").First).ToBeVisibleAsync();
        // Every status line the page shows, and when, to see afterwards that the progress came live, event by event.
        await page.EvaluateAsync("""
            () => {
              window.statusLines = [];
              new MutationObserver(() => window.statusLines.push({ at: Date.now(), text: document.getElementById('job-status').textContent }))
                .observe(document.getElementById('job-status'), { childList: true, characterData: true, subtree: true });
            }
            """);

        var first = await StartTrainingAsync(data, promote: "always");
        await Assertions.Expect(page.Locator("#job-id")).ToHaveTextAsync(first, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#job-live")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("#job-status")).ToContainTextAsync("phase 1", new() { Timeout = (float)AppHostSystemFixture.TinyTrainingTimeout.TotalMilliseconds });
        await Screenshots.SaveAsync(page, "dashboard-training-running");

        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)AppHostSystemFixture.TinyTrainingTimeout.TotalMilliseconds });
        var job = await Host.Gateway.GetFromJsonAsync<JsonElement>($"/train/{first}");
        var version = job.GetProperty("result").GetProperty("version").GetString()!;
        output.WriteLine($"first tiny run {first} -> {version} followed to the end at {timer.Elapsed.TotalSeconds:F1} s");

        var lines = (await page.EvaluateAsync<string[]>("() => window.statusLines.map(l => `${l.at}|${l.text}`)"))
            .Select(line => (At: long.Parse(line[..line.IndexOf('|')], CultureInfo.InvariantCulture), Text: line[(line.IndexOf('|') + 1)..])).ToList();
        var statuses = lines.Select(line => line.Text).ToList();
        Assert.Contains(statuses, s => s.Contains("phase 1", StringComparison.Ordinal) && s.Contains("batch", StringComparison.Ordinal));
        Assert.Contains(statuses, s => s.Contains("phase 2", StringComparison.Ordinal));
        Assert.True(statuses.Distinct().Count() >= 4, $"the page showed few distinct progress lines: {string.Join(" | ", statuses.Distinct())}");
        // Streamed, not buffered until the end: the first batch of phase 1 was on screen well before the outcome.
        var firstBatch = lines.First(line => line.Text.Contains("batch", StringComparison.Ordinal)).At;
        var outcome = lines.First(line => line.Text.StartsWith("published", StringComparison.Ordinal)).At;
        Assert.True(outcome - firstBatch > 2000, $"progress and outcome arrived {outcome - firstBatch} ms apart: the events were held back");
        Assert.Equal(1.0, await page.Locator("#job-progress").EvaluateAsync<double>("p => p.value"));
        await Assertions.Expect(page.Locator("#job-status")).ToContainTextAsync($"published {version}");

        // Curves: two epochs (one per phase), two loss lines and three accuracy lines, a point per epoch on each.
        await Assertions.Expect(page.Locator("#loss-chart circle")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#accuracy-chart circle")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#loss-chart .phase")).ToHaveCountAsync(1);

        // The confusion matrix of the published version: 7 x 7, its counts add up to the evaluated images.
        await Assertions.Expect(page.Locator("#confusion-figure")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#confusion-version")).ToHaveTextAsync(version);
        var cells = await page.Locator("#confusion tbody tr").EvaluateAllAsync<int[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td.cell')].map(c => parseInt(c.textContent)))");
        Assert.Equal(7, cells.Length);
        Assert.All(cells, row => Assert.Equal(7, row.Length));
        Assert.Equal(7 * TinyFerData.TestPerClass, cells.Sum(row => row.Sum()));
        Assert.All(cells, row => Assert.Equal(TinyFerData.TestPerClass, row.Sum()));
        var heads = await page.Locator("#confusion thead th").AllTextContentsAsync();
        Assert.Equal(TinyFerData.Classes, heads.Skip(1).Take(7));
        await Screenshots.SaveAsync(page, "dashboard-training-finished");

        // A second version, not promoted: the page follows the new job on its own.
        var second = await StartTrainingAsync(data, promote: "never");
        await Assertions.Expect(page.Locator("#job-id")).ToHaveTextAsync(second, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)AppHostSystemFixture.TinyTrainingTimeout.TotalMilliseconds });
        var other = (await Host.Gateway.GetFromJsonAsync<JsonElement>($"/train/{second}")).GetProperty("result").GetProperty("version").GetString()!;
        output.WriteLine($"second tiny run {second} -> {other} at {timer.Elapsed.TotalSeconds:F1} s");

        // Models page: both versions, the first in production.
        await page.Locator("#tabs button[data-tab=models]").ClickAsync();
        var firstRow = page.Locator($"#model-table tr[data-version='{version}']");
        var otherRow = page.Locator($"#model-table tr[data-version='{other}']");
        await Assertions.Expect(firstRow.Locator(".badge")).ToHaveTextAsync("production");
        await Assertions.Expect(otherRow.Locator(".badge")).ToHaveCountAsync(0);
        await Assertions.Expect(otherRow).ToContainTextAsync("64px");

        // A wrong key: the gateway's 403 is shown, production stays.
        await page.Locator("#admin-key").FillAsync("not-the-key");
        await otherRow.GetByRole(AriaRole.Button, new() { Name = "promote" }).ClickAsync();
        await Assertions.Expect(page.Locator("#models-message")).ToContainTextAsync("403 Wrong admin key");
        await Assertions.Expect(page.Locator("#models-message")).ToHaveClassAsync("problem");
        Assert.Equal(version, await ProductionAsync());
        await Screenshots.SaveAsync(page, "dashboard-models-wrong-key");

        // The right key: promote the second, then roll back to the first.
        await page.Locator("#admin-key").FillAsync(Host.AdminKey);
        await otherRow.GetByRole(AriaRole.Button, new() { Name = "promote" }).ClickAsync();
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"promoted {other} to production (was {version})");
        await Assertions.Expect(otherRow.Locator(".badge")).ToHaveTextAsync("production");
        Assert.Equal(other, await ProductionAsync());

        await page.Locator("#rollback").ClickAsync();
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"rolled production back to {version} (from {other})");
        await Assertions.Expect(firstRow.Locator(".badge")).ToHaveTextAsync("production");
        Assert.Equal(version, await ProductionAsync());
        await Screenshots.SaveAsync(page, "dashboard-models");
        output.WriteLine($"whole flow {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task GatewayForwarder_PassesTheTrainersAnswers_AndSays503WhileTheGatewayIsDown()
    {
        // Reads go through without a key; the trainer's own ProblemDetails come back as they are.
        var missing = await Host.Dashboard.GetAsync("/api/gateway/train/no-such-job");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Training job not found", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Host.Dashboard.GetAsync("/api/gateway/models")).StatusCode);
        // Admin routes: the gateway asks for the key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Dashboard.PostAsync("/api/gateway/models/rollback", null)).StatusCode);
        // Only the trainer's two APIs are forwarded.
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Dashboard.GetAsync("/api/gateway/predict")).StatusCode);

        // The gateway killed: until the AppHost has it running again, a ProblemDetails 503 that says so.
        var pid = (await AppHostProcess.ReplicaAsync(Host, "gateway-0")).GetProperty("pid").GetInt32();
        Assert.True(ProcessSignals.Send(pid, ProcessSignals.SigKill));
        var down = await Host.Dashboard.GetAsync("/api/gateway/models");
        var problem = await down.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Gateway unavailable", JsonDocument.Parse(problem).RootElement.GetProperty("title").GetString());
        Assert.Contains("gateway", JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        output.WriteLine($"while the gateway was down: {problem}");

        await Poll.UntilAsync(async () => (await AppHostProcess.ReplicaAsync(Host, "gateway-0")).GetProperty("health").GetString(),
            health => health == "Healthy", Patience, "the gateway to be back");
        Assert.Equal(HttpStatusCode.OK, (await Host.Dashboard.GetAsync("/api/gateway/models")).StatusCode);
    }

    /// <summary>A page on the dashboard at #<paramref name="hash"/>, in a context closed after the test.</summary>
    private async Task<IPage> OpenAsync(string hash)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") output.WriteLine($"browser console: {message.Text}"); };
        page.PageError += (_, error) => output.WriteLine($"browser page error: {error}");
        await page.GotoAsync($"{Host.Dashboard.BaseAddress}#{hash}");
        return page;
    }

    private async Task<string> StartTrainingAsync(TinyFerData data, string promote)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/train")
        {
            Content = JsonContent.Create(new { data = data.Root, imageSize = 64, epochs1 = 1, epochs2 = 1, batchSize = 32, seed = 7, promote }),
        };
        start.Headers.Add("X-Api-Key", Host.AdminKey);
        var response = await Host.Gateway.SendAsync(start);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /train: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<string?> ProductionAsync() =>
        (await Host.Gateway.GetFromJsonAsync<JsonElement>("/models")).GetProperty("production").GetString();
}
