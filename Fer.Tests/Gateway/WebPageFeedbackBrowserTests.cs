using Fer.Registry.Feedback;
using Fer.Tests.Browser;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Fer.Tests.Gateway;

/// <summary>
/// Feedback on the page in Debian's Chromium: a FER2013 face goes through the real gateway to two real replicas serving
/// from a registry on a real redis-server; one click corrects the answer, another confirms it, and the label is stored
/// (whichever replica the gateway sends it to) and counted.
/// </summary>
[Trait("Category", "Browser")]
public sealed class WebPageFeedbackBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly string prefix = "page-feedback-" + Guid.NewGuid().ToString("N")[..8];
    private readonly RedisServerFixture redis = new();
    private RegistryPublisher publisher = null!;
    private InferenceHost first = null!;
    private InferenceHost second = null!;
    private GatewayHost gateway = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        await redis.InitializeAsync();
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(31));
        first = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        second = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix);
        foreach (var replica in new[] { first, second })
        {
            await replica.WaitForVersionAsync(production);
            await replica.Get<Fer.Inference.Feedback.FeedbackRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(20));
        }
        gateway = await GatewayHost.StartAsync([first.Client.BaseAddress!, second.Client.BaseAddress!], trainer: null);
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await first.DisposeAsync();
        await second.DisposeAsync();
        publisher.Dispose();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task OneClickCorrectsTheAnswer_AnotherConfirmsIt_AndTheLabelIsStoredAndCounted()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        await page.SetInputFilesAsync("#file-input", InferenceTestModels.FerImages()[4]);

        await Assertions.Expect(page.Locator("#feedback")).ToBeVisibleAsync();
        var answered = (await page.Locator("#emotion").TextContentAsync())!.Trim();
        var buttons = page.Locator("#feedback-buttons button");
        await Assertions.Expect(buttons).ToHaveCountAsync(7);
        await Assertions.Expect(buttons.First).ToHaveTextAsync($"Yes, {answered}");
        var correction = answered == "surprise" ? "fear" : "surprise";

        await page.Locator($"#feedback-buttons button[data-emotion='{correction}']").ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-status")).ToHaveTextAsync($"Thank you: kept as {correction} (1 label so far).");
        var entry = Assert.Single((await Store().SnapshotAsync()).Entries);
        Assert.Equal((correction, answered, production), (entry.Emotion, entry.AnsweredEmotion, entry.ModelVersion));
        await Screenshots.SaveAsync(page, "predict-feedback");

        await buttons.First.ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-status")).ToHaveTextAsync($"Thank you: kept as {answered} (1 label so far).");
        await Assertions.Expect(buttons.First).ToHaveAttributeAsync("aria-pressed", "true");
        var summary = await Store().SummaryAsync();
        Assert.Equal(1, summary.Count);
        Assert.Equal(new Dictionary<string, int> { [answered] = 1 }, summary.PerEmotion);
    }

    private FeedbackStore Store() => new(publisher.Registry, publisher.Redis, Options.Create(new FeedbackOptions()), TimeProvider.System);
}
