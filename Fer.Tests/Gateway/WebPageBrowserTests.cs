using System.Text.Json;
using Fer.Imaging;
using Fer.Tests.Browser;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fer.Tests.Gateway;

/// <summary>
/// The product page in Debian's Chromium, served by the real gateway. One test predicts through the real inference
/// service (ONNX Runtime, a model made by our exporter); the others use loopback stand-ins that answer in the
/// documented formats (<see cref="ImageStatisticsInference"/>, and <see cref="TrainerStandIn"/> until the trainer's
/// HTTP API exists), so the page's webcam and training flows are tested without training a model.
/// </summary>
[Trait("Category", "Browser")]
public sealed class WebPageBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string[] Emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    [Fact]
    public async Task UploadingAFerImage_ShowsTheEmotion_SevenBars_AndTheCropTheModelSaw()
    {
        await using var inference = await ImageStatisticsInference.StartAsync();
        var (_, trainerService) = await TrainerStandIn.StartAsync();
        await using var trainer = trainerService;
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainer.Address);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };

        await page.GotoAsync(gateway.Address.ToString());
        var image = FerImage("happy");
        await page.SetInputFilesAsync("#file-input", image);
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();

        var emotion = (await page.Locator("#emotion").TextContentAsync())!.Trim();
        Assert.Contains(emotion, Emotions);
        Assert.Equal(7, await page.Locator("#bars li").CountAsync());
        var shown = await page.Locator("#bars .value").AllTextContentsAsync();
        Assert.All(shown, value => Assert.Matches(@"^\d{1,3}\.\d%$", value));
        Assert.InRange(shown.Sum(v => double.Parse(v.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)), 99.0, 101.0);
        Assert.Equal(ImageStatisticsInference.ModelVersion, await page.Locator("#model-version").TextContentAsync());

        // The crop drawn in the page is the service's canonical input for the same file (Fer.Imaging).
        var crop = await page.EvaluateAsync<int[]>(
            "() => Array.from(document.getElementById('crop-canvas').getContext('2d').getImageData(0, 0, 48, 48).data).filter((_, i) => i % 4 === 0)");
        var expected = FaceImageDecoder.Decode(await File.ReadAllBytesAsync(image)).Pixels;
        var meanError = crop.Select((grey, i) => Math.Abs(grey - expected[i] * 255)).Average();
        Assert.True(meanError < 2.0, $"the page's crop differs from the service's by {meanError:0.00} grey levels on average");

        await Screenshots.SaveAsync(page, "predict-upload-laptop");

        // A file that is not an image: the service's ProblemDetails is shown as a readable message.
        var notAnImage = Path.Combine(Path.GetTempPath(), $"fer-not-an-image-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(notAnImage, "hello");
        await page.SetInputFilesAsync("#file-input", notAnImage);
        await Assertions.Expect(page.Locator("#predict-error")).ToContainTextAsync("Not an image");
        File.Delete(notAnImage);

        Assert.All(requested, url => Assert.StartsWith(gateway.Address.ToString(), url));
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("400", StringComparison.Ordinal));

        await using var phoneContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(gateway.Address.ToString());
        await phone.SetInputFilesAsync("#file-input", FerImage("surprise"));
        await Assertions.Expect(phone.Locator("#result")).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page must not scroll sideways on a phone");
        await Screenshots.SaveAsync(phone, "predict-upload-phone");
    }

    [Fact]
    public async Task UploadingAFerImage_ThroughTheRealInferenceService_ShowsWhatTheModelComputed()
    {
        const int seed = 11;
        await using var inference = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(seed));
        await inference.WaitForVersionAsync($"seed-{seed}");
        await using var gateway = await GatewayHost.StartAsync([inference.Client.BaseAddress!], trainer: null);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var image = FerImage("happy");
        // The reference: the same exported model's network evaluated in TorchSharp on Fer.Imaging's crop of the file.
        var expected = InferenceTestModels.ReferenceProbabilities(seed, FaceImageDecoder.Decode(await File.ReadAllBytesAsync(image)).Pixels);

        await page.GotoAsync(gateway.Address.ToString());
        await page.SetInputFilesAsync("#file-input", image);
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();

        var best = Array.IndexOf(expected, expected.Max());
        Assert.Equal(Emotions[best], await page.Locator("#emotion").TextContentAsync());
        Assert.Equal($"seed-{seed}", await page.Locator("#model-version").TextContentAsync());
        var shown = await page.Locator("#bars .value").AllTextContentsAsync();
        for (var i = 0; i < Emotions.Length; i++)
        {
            var percent = double.Parse(shown[i].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(percent - expected[i] * 100) <= 0.051, $"{Emotions[i]}: page {shown[i]}, model {expected[i]:P2}");
        }
        await Screenshots.SaveAsync(page, "predict-upload-real-inference");
    }

    [Fact]
    public async Task TheWebcam_WithAFakeCameraPlayingFerFaces_PredictsContinuously()
    {
        await using var inference = await ImageStatisticsInference.StartAsync();
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainer: null);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await context.GrantPermissionsAsync(["camera"], new BrowserContextGrantPermissionsOptions { Origin = gateway.Address.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();

        await page.GotoAsync(gateway.Address.ToString());
        await page.ClickAsync("#tab-webcam");
        await page.SelectOptionAsync("#webcam-rate", "250");
        await page.ClickAsync("#webcam-toggle");
        await Assertions.Expect(page.Locator("#webcam-stats")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^([4-9]|\d\d+) predictions$"),
            new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });

        var predictions = inference.Received.Where(r => r.Path == "/predict").ToList();
        Assert.True(predictions.Count >= 4);
        Assert.All(predictions, r => Assert.Equal("image/jpeg", r.Headers["Content-Type"]));
        Assert.Contains(await page.Locator("#emotion").TextContentAsync(), Emotions);
        var cropContrast = await page.EvaluateAsync<int>(
            "() => { const d = document.getElementById('crop-canvas').getContext('2d').getImageData(0, 0, 48, 48).data; let lo = 255, hi = 0; for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); } return hi - lo; }");
        Assert.True(cropContrast > 40, $"the webcam crop should show a face, not a flat frame (contrast {cropContrast})");
        await Screenshots.SaveAsync(page, "predict-webcam");

        await page.ClickAsync("#webcam-toggle");
        await Assertions.Expect(page.Locator("#webcam-toggle")).ToHaveTextAsync("Start camera");
    }

    [Fact]
    public async Task TheTrainPanel_StartsARun_FollowsItLive_AndPromotesTheNewVersion()
    {
        await using var inference = await ImageStatisticsInference.StartAsync();
        var (trainer, trainerService) = await TrainerStandIn.StartAsync();
        await using var _t = trainerService;
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainerService.Address);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("#models-body tr[data-version='v0001']")).ToContainTextAsync("production");

        // A wrong key: the gateway's 403 ProblemDetails is shown, and nothing starts.
        await page.FillAsync("#admin-key", "wrong-key-123");
        await page.ClickAsync("#train-start");
        await Assertions.Expect(page.Locator("#train-error")).ToContainTextAsync("Wrong admin key");
        Assert.Empty(trainer.StartRequests);

        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await page.FillAsync("#opt-epochs1", "2");
        await page.FillAsync("#opt-epochs2", "1");
        await page.SelectOptionAsync("#opt-image-size", "64");
        await page.ClickAsync("#train-start");

        await Assertions.Expect(page.Locator("#train-error")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("running", new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#job-status")).ToContainTextAsync("epoch");
        await Assertions.Expect(page.Locator("#train-cancel")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "train-running");
        trainer.Finish();
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#job-metrics")).ToContainTextAsync("Val Macro F1");
        Assert.Equal(1.0, await page.EvaluateAsync<double>("() => document.getElementById('job-progress').value"));

        var options = Assert.Single(trainer.StartRequests);
        Assert.Equal(2, options.GetProperty("epochs1").GetInt32());
        Assert.Equal(1, options.GetProperty("epochs2").GetInt32());
        Assert.Equal(64, options.GetProperty("imageSize").GetInt32());
        Assert.False(options.TryGetProperty("recipe", out JsonElement _), "options left at default are not sent");

        var newVersion = page.Locator("#models-body tr[data-version='v0002']");
        await Assertions.Expect(newVersion).ToBeVisibleAsync();
        await newVersion.Locator("button").ClickAsync();
        await Assertions.Expect(newVersion).ToContainTextAsync("production");
        await Screenshots.SaveAsync(page, "train-done-promoted");

        await page.ClickAsync("#models-rollback");
        await Assertions.Expect(page.Locator("#models-body tr[data-version='v0001']")).ToContainTextAsync("production");
    }

    private static string FerImage(string emotion) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Fer2013, "test", emotion), "*.jpg").Order().First();
}
