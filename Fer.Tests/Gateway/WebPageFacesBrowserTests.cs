using System.Globalization;
using System.Text.Json;
using Fer.Faces;
using Fer.Faces.Detection;
using Fer.Faces.Finding;
using Fer.Faces.Framing;
using Fer.Imaging;
using Fer.Inference.Contracts;
using Fer.Tests.Browser;
using Fer.Tests.Faces;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using Microsoft.Playwright;
using SkiaSharp;
using Xunit.Abstractions;

namespace Fer.Tests.Gateway;

/// <summary>
/// The page's faces in Debian's Chromium: photos and a fake camera filming composite scenes (FER2013 faces at known
/// squares) go through the real gateway to the real inference service (the shipped detector, a model made by our
/// exporter), and the page must draw a box over every face, where the face is, and show each face's crop and bars.
/// </summary>
[Trait("Category", "Browser")]
public sealed class WebPageFacesBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string version = null!;
    private InferenceHost inference = null!;
    private GatewayHost gateway = null!;

    public async Task InitializeAsync()
    {
        // The shipped model, so that the screenshots (the README's among them) show what a user gets.
        inference = await InferenceHost.StartWithFileAsync(Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"));
        await inference.WaitForVersionAsync(null);
        version = inference.Get<Fer.Inference.Models.ModelHolder>().Current!.Version;
        gateway = await GatewayHost.StartAsync([inference.Client.BaseAddress!], trainer: null);
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await inference.DisposeAsync();
    }

    [Fact]
    public async Task UploadingAPhotoWithThreeFaces_DrawsABoxOverEach_AndChoosingOneShowsItsCropAndBars()
    {
        SKRectI[] squares = [new(40, 60, 160, 180), new(250, 100, 450, 300), new(480, 280, 620, 420)];
        SKRectI[] largestFirst = [squares[1], squares[2], squares[0]];
        var photo = CompositePhoto.Jpeg(640, 480, squares);
        var file = await WriteTempAsync(photo, ".jpg");
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await OpenAsync(page);

        // What the service answers for this photo (the page is sent the same answer: the pipeline is deterministic).
        using var client = gateway.CreateClient();
        using var sent = new ByteArrayContent(photo) { Headers = { ContentType = new("image/jpeg") } };
        var answer = JsonSerializer.Deserialize<PredictionResponse>(await (await client.PostAsync("/predict", sent)).Content.ReadAsStringAsync(), Json)!;
        Assert.Equal(3, answer.Faces.Count);
        await page.SetInputFilesAsync("#file-input", file);

        var boxes = page.Locator("#photo-faces .face-box");
        await Assertions.Expect(boxes).ToHaveCountAsync(3);
        var photoOnPage = Rect(await page.Locator("#photo-canvas").BoundingBoxAsync());
        for (var i = 0; i < 3; i++)
        {
            var drawn = Rect(await boxes.Nth(i).BoundingBoxAsync());
            AssertOver(drawn, OnPage(largestFirst[i], photoOnPage, 640, 480, mirror: false), $"face {i}");
            await Assertions.Expect(boxes.Nth(i)).ToContainTextAsync(answer.Faces[i].Emotion);
        }
        await Assertions.Expect(page.Locator("#face-detector")).ToHaveTextAsync("UltraFace RFB-640");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(version);
        await Assertions.Expect(page.Locator("#photo-summary")).ToHaveTextAsync("3 faces found by UltraFace RFB-640, largest first: choose one to see its crop and emotions.");

        // The largest face is chosen first; each face's crop is the one the service cut for the model.
        var crops = FinderCrops(photo);
        var apart = crops[0].Select((v, i) => Math.Abs(v - crops[2][i]) * 255).Average();
        Assert.True(apart > 10, $"the faces' crops differ by {apart:0.0} grey levels on average: too little to tell which one the page shows");
        await AssertShowsAsync(page, answer, 0, crops[0]);
        await Screenshots.SaveAsync(page, "predict-faces-photo");

        await boxes.Nth(2).ClickAsync();
        await AssertShowsAsync(page, answer, 2, crops[2]);
        await Assertions.Expect(boxes.Nth(0)).ToHaveAttributeAsync("aria-pressed", "false");
        await Screenshots.SaveAsync(page, "predict-faces-photo-chosen");

        await boxes.Nth(1).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await AssertShowsAsync(page, answer, 1, crops[1]);

        // On a phone the photo shrinks to the screen and the boxes with it.
        await using var phoneContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var phone = await phoneContext.NewPageAsync();
        await OpenAsync(phone);
        await phone.SetInputFilesAsync("#file-input", file);
        await Assertions.Expect(phone.Locator("#photo-faces .face-box")).ToHaveCountAsync(3);
        var small = Rect(await phone.Locator("#photo-canvas").BoundingBoxAsync());
        Assert.True(small.Width < 390, $"the photo is {small.Width} px wide on a 390 px screen");
        AssertOver(Rect(await phone.Locator("#photo-faces .face-box").First.BoundingBoxAsync()), OnPage(largestFirst[0], small, 640, 480, mirror: false), "face 0 on a phone");
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the page must not scroll sideways on a phone");
        await Screenshots.SaveAsync(phone, "predict-faces-phone");
        File.Delete(file);
    }

    [Fact]
    public async Task APhotoTooLargeToKeep_IsShrunk_AndItsBoxesAndCropsStillMatchTheService()
    {
        // 3200x2400: the page keeps it at 2048x1536 and scales the answer's boxes and crop squares to that.
        SKRectI[] squares = [new(400, 600, 1400, 1600), new(2000, 500, 2800, 1300)];
        var photo = CompositePhoto.Jpeg(3200, 2400, squares);
        var file = await WriteTempAsync(photo, ".jpg");
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await OpenAsync(page);

        await page.SetInputFilesAsync("#file-input", file);
        var boxes = page.Locator("#photo-faces .face-box");
        await Assertions.Expect(boxes).ToHaveCountAsync(2);
        Assert.Equal(2048, await page.EvaluateAsync<int>("() => document.getElementById('photo-canvas').width"));
        var shown = Rect(await page.Locator("#photo-canvas").BoundingBoxAsync());
        for (var i = 0; i < 2; i++) AssertOver(Rect(await boxes.Nth(i).BoundingBoxAsync()), OnPage(squares[i], shown, 3200, 2400, mirror: false), $"face {i}");
        var crops = FinderCrops(photo);
        await boxes.Nth(1).ClickAsync();
        await Assertions.Expect(page.Locator("#result")).ToHaveAttributeAsync("data-face", "1");
        var meanError = await MeanCropErrorAsync(page, crops[1]);
        output.WriteLine($"a 3200x2400 photo kept at 2048x1536: the page's crop is {meanError:0.00} grey levels from the service's on average");
        Assert.True(meanError < 4.0, $"the page's crop differs from the service's by {meanError:0.00} grey levels on average");
        File.Delete(file);
    }

    [Fact]
    public async Task APhotoWithoutAFace_SaysSo_AndClassifiesTheCentreOnRequest()
    {
        var file = await WriteTempAsync(CompositePhoto.Jpeg(640, 480), ".jpg");
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var queries = new List<string>();
        page.Request += (_, request) => { if (new Uri(request.Url).AbsolutePath == "/predict") queries.Add(new Uri(request.Url).Query); };
        await OpenAsync(page);

        await page.SetInputFilesAsync("#file-input", file);
        await Assertions.Expect(page.Locator("#no-face")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-face-message")).ToContainTextAsync("no face found");
        await Assertions.Expect(page.Locator("#photo-faces .face-box")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#result")).ToBeHiddenAsync();
        await Screenshots.SaveAsync(page, "predict-faces-none");

        await page.ClickAsync("#no-face button[data-faces=centre]");
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-face")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#photo-summary")).ToHaveTextAsync("The centre square, taken as the face.");
        var box = page.Locator("#photo-faces .face-box");
        await Assertions.Expect(box).ToHaveCountAsync(1);
        AssertOver(Rect(await box.BoundingBoxAsync()), OnPage(new SKRectI(80, 0, 560, 480), Rect(await page.Locator("#photo-canvas").BoundingBoxAsync()), 640, 480, mirror: false), "the centre");
        Assert.Equal(["", "?faces=centre"], queries);
        File.Delete(file);
    }

    [Fact]
    public async Task TheWebcam_FilmingTwoFaces_DrawsTheirBoxesLive_OneFrameInFlightAtATime()
    {
        var video = Path.Combine(Path.GetTempPath(), $"fer-scene-{Guid.NewGuid():N}.y4m");
        CompositeSceneVideo.Write(video);
        var (playwright, browser) = await Chromium.LaunchAsync(Chromium.FakeCameraArgs(video));
        try
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            await context.GrantPermissionsAsync(["camera"], new BrowserContextGrantPermissionsOptions { Origin = gateway.Address.GetLeftPart(UriPartial.Authority) });
            var page = await context.NewPageAsync();
            var inFlight = 0;
            var mostInFlight = 0;
            page.Request += (_, request) => { if (IsPredict(request)) mostInFlight = Math.Max(mostInFlight, Interlocked.Increment(ref inFlight)); };
            page.RequestFinished += (_, request) => { if (IsPredict(request)) Interlocked.Decrement(ref inFlight); };
            page.RequestFailed += (_, request) => { if (IsPredict(request)) Interlocked.Decrement(ref inFlight); };

            await OpenAsync(page);
            await page.ClickAsync("#tab-webcam");
            await page.ClickAsync("#webcam-toggle");
            var boxes = page.Locator("#webcam-faces .face-box");
            await Assertions.Expect(boxes).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#webcam-fps")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d frames/s$"),
                new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

            // The picture is shown mirrored (as a mirror would show the user), and the boxes with it. Each answer redraws
            // them, so they are measured in one go, with the video, from a moment when both are drawn.
            double[][] rects = [];
            for (var tries = 0; tries < 50 && rects.Length != 3; tries++)
                rects = await page.EvaluateAsync<double[][]>(
                    "() => ['#webcam-video', '#webcam-faces .face-box'].flatMap(s => [...document.querySelectorAll(s)]).map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })");
            Assert.Equal(3, rects.Length);
            var shown = Rect(rects[0]);
            for (var i = 0; i < 2; i++)
                AssertOver(Rect(rects[i + 1]), OnPage(CompositeSceneVideo.Squares[i], shown, CompositeSceneVideo.Width, CompositeSceneVideo.Height, mirror: true), $"face {i}");
            await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();
            await Screenshots.SaveAsync(page, "predict-webcam-faces");

            // The rate reached: answers counted over ten seconds, as fast as the service answers one frame at a time.
            var before = Count(await page.Locator("#webcam-stats").TextContentAsync());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10));
            var after = Count(await page.Locator("#webcam-stats").TextContentAsync());
            var fps = await page.Locator("#webcam-fps").TextContentAsync();
            output.WriteLine($"webcam at 640x480 with two faces: {(after - before) / clock.Elapsed.TotalSeconds:0.0} frames/s over {clock.Elapsed.TotalSeconds:0.0} s "
                + $"({after - before} answers); the page showed {fps} at the end");
            Assert.True(after > before, "the page kept predicting");
            Assert.Equal(1, mostInFlight);
            await Assertions.Expect(boxes).ToHaveCountAsync(2);

            await page.ClickAsync("#webcam-toggle");
            await Assertions.Expect(page.Locator("#webcam-faces .face-box")).ToHaveCountAsync(0);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            File.Delete(video);
        }
    }

    private static (double X, double Y, double Width, double Height) Rect(double[] r) => (r[0], r[1], r[2], r[3]);

    private static (double X, double Y, double Width, double Height) Rect(LocatorBoundingBoxResult? r) => (r!.X, r.Y, r.Width, r.Height);

    /// <summary>Opens the page and waits until its modules have run (app.js marks the document ready), so that what the
    /// test does next reaches their listeners.</summary>
    private async Task OpenAsync(IPage page)
    {
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
    }

    private static bool IsPredict(IRequest request) => new Uri(request.Url).AbsolutePath == "/predict";

    private static int Count(string? stats) => int.Parse(stats!.Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The page shows face <paramref name="index"/> of the answer: chosen, its emotion, its seven bars, and the crop
    /// the service cut for it (the page cuts its own from the photo: the same grey levels within a few).</summary>
    private static async Task AssertShowsAsync(IPage page, PredictionResponse answer, int index, float[] serviceCrop)
    {
        var face = answer.Faces[index];
        await Assertions.Expect(page.Locator("#result")).ToHaveAttributeAsync("data-face", index.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#photo-faces .face-box").Nth(index)).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(face.Emotion, await page.Locator("#emotion").TextContentAsync());
        var shown = await page.Locator("#bars li").EvaluateAllAsync<string[][]>("items => items.map(li => [li.dataset.emotion, li.querySelector('.value').textContent])");
        Assert.Equal(7, shown.Length);
        foreach (var pair in shown)
        {
            var percent = double.Parse(pair[1].TrimEnd('%'), CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(percent - face.Probabilities[pair[0]] * 100) <= 0.051, $"face {index} {pair[0]}: page {pair[1]}, answer {face.Probabilities[pair[0]]:P2}");
        }
        var meanError = await MeanCropErrorAsync(page, serviceCrop);
        Assert.True(meanError < 3.0, $"face {index}: the page's crop differs from the service's by {meanError:0.00} grey levels on average");
    }

    /// <summary>How far the crop the page shows is from the service's, in grey levels on average.</summary>
    private static async Task<double> MeanCropErrorAsync(IPage page, float[] serviceCrop)
    {
        var crop = await page.EvaluateAsync<int[]>(
            "() => Array.from(document.getElementById('crop-canvas').getContext('2d').getImageData(0, 0, 48, 48).data).filter((_, i) => i % 4 === 0)");
        return crop.Select((grey, i) => Math.Abs(grey - serviceCrop[i] * 255)).Average();
    }

    /// <summary>The crops the service cuts from the photo, largest face first (the finder /predict uses).</summary>
    private static float[][] FinderCrops(byte[] photo)
    {
        using var detector = new UltraFaceDetector(FaceDetectorFile.Bundled);
        var found = new FaceFinder(detector, FaceFraming.Fitted, new FaceFinderOptions()).Find(FaceImageDecoder.DecodeGray(photo));
        return found.Faces.Select(f => f.Crop.Pixels).ToArray();
    }

    /// <summary>A square of a picture (<paramref name="width"/> x <paramref name="height"/> px) where the page shows it in
    /// <paramref name="element"/>, scaled to cover it and centred (a photo's canvas holds it exactly; the video crops it).</summary>
    private static (double X, double Y, double Side) OnPage(SKRectI square, (double X, double Y, double Width, double Height) element, int width, int height, bool mirror)
    {
        var scale = Math.Max(element.Width / width, element.Height / height);
        var x0 = element.X + (element.Width - width * scale) / 2;
        var y0 = element.Y + (element.Height - height * scale) / 2;
        var left = mirror ? width - square.Right : square.Left;
        return (x0 + left * scale, y0 + square.Top * scale, square.Width * scale);
    }

    /// <summary>A drawn box sits over the face: its centre inside the face's square, its size within a factor of the square's.</summary>
    private static void AssertOver((double X, double Y, double Width, double Height) drawn, (double X, double Y, double Side) face, string what)
    {
        double cx = drawn.X + drawn.Width / 2, cy = drawn.Y + drawn.Height / 2;
        Assert.True(cx > face.X && cx < face.X + face.Side && cy > face.Y && cy < face.Y + face.Side,
            $"{what}: the box drawn at ({drawn.X:0}, {drawn.Y:0}) {drawn.Width:0}x{drawn.Height:0} is not over the face at ({face.X:0}, {face.Y:0}) side {face.Side:0}");
        Assert.InRange(drawn.Width / face.Side, 0.5, 1.5);
    }

    private static async Task<string> WriteTempAsync(byte[] bytes, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fer-photo-{Guid.NewGuid():N}{extension}");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
