using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fer.Imaging;
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
/// The product page in Debian's Chromium, served by the real gateway in front of the real trainer (on loopback, with a
/// real redis-server and a tiny FER2013 folder). One test predicts through the real inference service (ONNX Runtime, a
/// model made by our exporter); the others predict with a loopback stand-in that answers in the documented format
/// (<see cref="ImageStatisticsInference"/>), so the page's upload and webcam flows need no trained model. The class
/// shares the trainer tests' collection: a real training run wants the machine's cores to itself.
/// </summary>
[Trait("Category", "Browser")]
[Collection(TrainerCollection.Name)]
public sealed class WebPageBrowserTests(ChromiumFixture chromium, TrainerFixture trainers, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly string[] Emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    [Fact]
    public async Task UploadingAFerImage_ShowsTheEmotion_SevenBars_AndTheCropTheModelSaw()
    {
        await using var inference = await ImageStatisticsInference.StartAsync();
        await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix());
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainer.Client.BaseAddress);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };

        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true"); // its modules have run: before that a chosen file or a typed key is lost
        var image = RepositoryPaths.FirstTestImage("happy");
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
        await Assertions.Expect(phone.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        await phone.SetInputFilesAsync("#file-input", RepositoryPaths.FirstTestImage("surprise"));
        await Assertions.Expect(phone.Locator("#result")).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page must not scroll sideways on a phone");
        await Screenshots.SaveAsync(phone, "predict-upload-phone");
    }

    [Fact]
    public async Task UploadingAFerImage_ThroughTheRealInferenceService_ShowsWhatTheModelComputed()
    {
        const int seed = 11;
        var model = InferenceTestModels.WriteToTempFile(seed);
        try
        {
            await using var inference = await InferenceHost.StartWithFileAsync(model);
            await inference.WaitForVersionAsync($"seed-{seed}");
            await using var gateway = await GatewayHost.StartAsync([inference.Client.BaseAddress!], trainer: null);
            await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            var page = await context.NewPageAsync();
            var image = RepositoryPaths.FirstTestImage("happy");
            // The reference: the same exported model's network evaluated in TorchSharp on Fer.Imaging's crop of the file.
            var expected = InferenceTestModels.ReferenceProbabilities(seed, FaceImageDecoder.Decode(await File.ReadAllBytesAsync(image)).Pixels);

            await page.GotoAsync(gateway.Address.ToString());
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
            await page.SetInputFilesAsync("#file-input", image);
            await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();

            var best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(Emotions[best], await page.Locator("#emotion").TextContentAsync());
            Assert.Equal($"seed-{seed}", await page.Locator("#model-version").TextContentAsync());
            // FER2013's 48x48 crops are small: the service takes them whole, and the page draws one box over the image.
            await Assertions.Expect(page.Locator("#photo-summary")).ToHaveTextAsync("Taken whole: the image is the face.");
            var box = (await page.Locator("#photo-faces .face-box").BoundingBoxAsync())!;
            var shownPhoto = (await page.Locator("#photo-canvas").BoundingBoxAsync())!;
            Assert.True(Math.Abs(box.X - shownPhoto.X) < 1 && Math.Abs(box.Width - shownPhoto.Width) < 1, $"the box ({box.X}, {box.Width}) covers the image ({shownPhoto.X}, {shownPhoto.Width})");
            var shown = await page.Locator("#bars .value").AllTextContentsAsync();
            for (var i = 0; i < Emotions.Length; i++)
            {
                var percent = double.Parse(shown[i].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(percent - expected[i] * 100) <= 0.051, $"{Emotions[i]}: page {shown[i]}, model {expected[i]:P2}");
            }
            await Screenshots.SaveAsync(page, "predict-upload-real-inference");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(model)!, recursive: true);
        }
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
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
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
    public async Task TheTrainAndRegistryViews_StartARealRun_DrawItsCurvesLive_ShowItsConfusionMatrix_AndPromoteAndRollBack()
    {
        var timer = Stopwatch.StartNew();
        await using var inference = await ImageStatisticsInference.StartAsync();
        await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix());
        var registry = trainer.Service<ModelRegistry>();
        // An earlier production version (a real ONNX model from our exporter), so there is something to roll back to.
        var earlier = await registry.PublishAsync(new ModelPublishRequest
        {
            Onnx = InferenceTestModels.Onnx(seed: 3), MetricsJson = """{"valMacroF1":0.25,"valAccuracy":0.3}""", ImageSize = 48, DatasetFingerprint = "earlier",
        });
        await registry.PromoteAsync(earlier.Version);
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainer.Client.BaseAddress);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var startRequests = new List<JsonElement>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/train" && request.Headers.GetValueOrDefault("x-api-key") == GatewayHost.AdminKey)
                lock (startRequests) startRequests.Add(JsonDocument.Parse(request.PostData!).RootElement.Clone());
        };
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        var earlierRow = page.Locator($"#models-body tr[data-version='{earlier.Version}']");
        await Assertions.Expect(earlierRow).ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(earlier.Version);
        await Assertions.Expect(earlierRow.Locator("[data-metric=valMacroF1]")).ToHaveTextAsync("0.250");
        await Assertions.Expect(earlierRow.Locator("[data-metric=valAccuracy]")).ToHaveTextAsync("30.0%");
        await Assertions.Expect(page.Locator("#models-production")).ToHaveTextAsync($"Production: {earlier.Version} · validation macro-F1 0.250");

        // A wrong key: the gateway's 403 ProblemDetails is shown, and nothing starts.
        await page.FillAsync("#admin-key", "wrong-key-123");
        await page.ClickAsync("#train-start");
        await Assertions.Expect(page.Locator("#train-error")).ToContainTextAsync("Wrong admin key");
        Assert.Empty((await trainer.Client.GetFromJsonAsync<JsonElement>("/train")).GetProperty("jobs").EnumerateArray());

        // Every status line, progress value, time-left estimate and number of points on the loss chart the page shows while
        // the run goes on, recorded as the page changes them.
        await page.EvaluateAsync("""
            () => {
              window.ferSeen = [];
              const status = document.getElementById('job-status'), bar = document.getElementById('job-progress');
              new MutationObserver(() => window.ferSeen.push({ text: status.textContent, value: bar.hasAttribute('value') ? bar.value : null }))
                .observe(status, { childList: true, characterData: true, subtree: true });
              window.ferStats = [];
              const stats = document.getElementById('job-stats');
              new MutationObserver(() => window.ferStats.push(Object.fromEntries([...stats.querySelectorAll('[data-stat]')].map(d => [d.dataset.stat, d.querySelector('dd').textContent]))))
                .observe(stats, { childList: true });
              window.ferCurves = [];
              const loss = document.getElementById('loss-chart');
              new MutationObserver(() => window.ferCurves.push({
                points: loss.querySelectorAll('circle.point').length,
                running: loss.querySelectorAll('circle.running').length,
                state: document.getElementById('job-state').textContent,
              })).observe(loss, { childList: true });
            }
            """);
        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await page.FillAsync("#opt-epochs1", "1");
        await page.FillAsync("#opt-epochs2", "1");
        await page.SelectOptionAsync("#opt-image-size", "64");
        await page.FillAsync("#opt-batch-size", "32");
        await page.SelectOptionAsync("#opt-promote", "never");
        await page.ClickAsync("#train-start");

        await Assertions.Expect(page.Locator("#train-error")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("running", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#train-cancel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync(new Regex(@"^(caching|training)\b"), new LocatorAssertionsToHaveTextOptions { Timeout = 120_000 });
        var timeout = (float)TrainerTestApp.JobTimeout.TotalMilliseconds;
        // The first finished epoch on the chart (usually while phase 2 runs): what a user watching a run sees.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#loss-chart circle.point').length >= 2", null, new PageWaitForFunctionOptions { Timeout = timeout });
        await Screenshots.SaveAsync(page, "train-running");
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync(new Regex("^(succeeded|failed|cancelled)$"), new LocatorAssertionsToHaveTextOptions { Timeout = timeout });
        var ran = timer.Elapsed;

        // The page agrees with the trainer's own account of the job.
        var id = (await page.Locator("#job-id").TextContentAsync())!;
        var job = await trainer.GetJobAsync(id);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", $"the job did not succeed: {job}");
        Assert.Equal("succeeded", await page.Locator("#job-state").TextContentAsync());
        var result = job.GetProperty("result");
        var version = result.GetProperty("version").GetString()!;
        Assert.False(result.GetProperty("promoted").GetBoolean());
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync(
            $"Published {version} (validation macro-F1 {result.GetProperty("validationMacroF1").GetDouble().ToString("F3", CultureInfo.InvariantCulture)}): not promoted (promotion policy 'never').");
        var metrics = result.GetProperty("metrics");
        var valMacroF1 = Fixed(metrics.GetProperty("valMacroF1").GetDouble());
        await Assertions.Expect(page.Locator("#job-metrics [data-metric=valMacroF1] dd")).ToHaveTextAsync(valMacroF1);
        Assert.Equal(1.0, await page.EvaluateAsync<double>("() => document.getElementById('job-progress').value"));
        await Assertions.Expect(page.Locator("#train-cancel")).ToBeHiddenAsync();

        // Live: the server-sent progress of both phases reached the page, with the bar moving between 0 and 1.
        var seen = await page.EvaluateAsync<JsonElement>("() => window.ferSeen");
        var statuses = seen.EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToList();
        // Both phases reached the page, and batch-level progress within an epoch did; not necessarily in both phases:
        // phase 1 (four batches of cached features) can pass between two of the stream's progress events.
        foreach (var phase in new[] { 1, 2 })
            Assert.Contains(statuses, s => s.StartsWith($"training · phase {phase} · epoch 1 of 1 · ", StringComparison.Ordinal));
        Assert.Contains(statuses, s => Regex.IsMatch(s, @"^training · phase [12] · epoch 1 of 1 · batch \d+ of \d+ · loss \d+\.\d{4}"));
        Assert.Contains(statuses, s => s.StartsWith("exporting", StringComparison.Ordinal) || s.StartsWith("publishing", StringComparison.Ordinal));
        var values = seen.EnumerateArray().Select(s => s.GetProperty("value")).Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
        Assert.Contains(values, v => v is > 0 and < 1);
        Assert.True(values.Order().SequenceEqual(values), $"the progress bar went backwards: {string.Join("\n", seen.EnumerateArray())}");
        var stats = await page.EvaluateAsync<JsonElement>("() => window.ferStats");
        Assert.Contains(stats.EnumerateArray(), s => s.GetProperty("eta").GetString()!.StartsWith('≈') && int.TryParse(s.GetProperty("speed").GetString(), out _)
            && s.GetProperty("phase").GetString() == "2 of 2" && s.GetProperty("epoch").GetString() == "1 of 1");
        Assert.Equal("done", await page.Locator("#job-stats [data-stat=eta] dd").TextContentAsync());

        // Curves from the streamed events: phase 1's epoch (train and validation loss) was on the chart while the run
        // still went on, with the running epoch's loss so far drawn hollow; at the end, two epochs of each line.
        var curves = (await page.EvaluateAsync<JsonElement>("() => window.ferCurves")).EnumerateArray().ToList();
        Assert.Contains(curves, c => c.GetProperty("points").GetInt32() == 2 && c.GetProperty("state").GetString() == "running");
        Assert.Contains(curves, c => c.GetProperty("running").GetInt32() == 1 && c.GetProperty("state").GetString() == "running");
        await Assertions.Expect(page.Locator("#loss-chart circle.point")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#loss-chart circle.running")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#accuracy-chart circle.point")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#loss-chart line.phase")).ToHaveCountAsync(1);
        var history = metrics.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        for (var e = 0; e < history.Count; e++)
        {
            var point = page.Locator("#loss-chart circle.point[data-key=validationLoss]").Nth(e).Locator("title");
            await Assertions.Expect(point).ToHaveTextAsync(
                $"validation loss, phase {e + 1} epoch 1: {history[e].GetProperty("validationLoss").GetDouble().ToString("F2", CultureInfo.InvariantCulture)}");
        }

        // The published version's confusion matrix and per-class table: the trainer's own counts, 7 x 7, every test image once.
        var evaluation = page.Locator("#job-evaluation");
        await Assertions.Expect(page.Locator("#job-evaluation-section")).ToBeVisibleAsync();
        await Assertions.Expect(evaluation.Locator(".evaluation-version")).ToHaveTextAsync(version);
        var cells = await evaluation.Locator("table.confusion tbody tr").EvaluateAllAsync<int[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td.cell')].map(c => parseInt(c.textContent)))");
        var expected = metrics.GetProperty("confusionMatrix").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(expected, cells);
        Assert.Equal(7, cells.Length);
        Assert.All(cells, row => Assert.Equal(TinyFerData.TestPerClass, row.Sum()));
        Assert.Equal(TinyFerData.Classes, (await evaluation.Locator("table.confusion tbody th").AllTextContentsAsync()).ToArray());
        for (var i = 0; i < 7; i++)
        {
            var recall = await evaluation.Locator($"table.classes tr[data-class={TinyFerData.Classes[i]}] td").Nth(1).TextContentAsync();
            Assert.Equal(Fixed((double)expected[i][i] / TinyFerData.TestPerClass), recall);
        }
        await Assertions.Expect(evaluation.Locator(".evaluation-summary")).ToContainTextAsync($"accuracy {Percent(metrics.GetProperty("accuracy").GetDouble())}");

        var options = Assert.Single(startRequests);
        Assert.Equal(1, options.GetProperty("epochs1").GetInt32());
        Assert.Equal(1, options.GetProperty("epochs2").GetInt32());
        Assert.Equal(64, options.GetProperty("imageSize").GetInt32());
        Assert.Equal(32, options.GetProperty("batchSize").GetInt32());
        Assert.Equal("never", options.GetProperty("promote").GetString());
        Assert.False(options.TryGetProperty("recipe", out JsonElement _), "options left at default are not sent");
        Assert.Equal(64, job.GetProperty("options").GetProperty("imageSize").GetInt32());

        // The new version is listed with its metrics (not production); promoting it and rolling back move the registry's pointer.
        var newRow = page.Locator($"#models-body tr[data-version='{version}']");
        await Assertions.Expect(newRow).ToBeVisibleAsync();
        await Assertions.Expect(newRow).Not.ToContainTextAsync("production");
        await Assertions.Expect(newRow.Locator("[data-metric=valMacroF1]")).ToHaveTextAsync(valMacroF1);
        await Assertions.Expect(newRow.Locator("[data-metric=valAccuracy]")).ToHaveTextAsync(Percent(metrics.GetProperty("valAccuracy").GetDouble()));
        await Assertions.Expect(newRow.Locator("[data-metric=accuracy]")).ToHaveTextAsync(Percent(metrics.GetProperty("accuracy").GetDouble()));
        await Assertions.Expect(newRow.Locator("[data-metric=macroF1]")).ToHaveTextAsync(Fixed(metrics.GetProperty("macroF1").GetDouble()));
        await Assertions.Expect(page.Locator($"#runs-body tr[data-job='{id}']")).ToContainTextAsync(version);
        await Screenshots.SaveAsync(page, "train-done");
        await newRow.Locator("button[data-promote]").ClickAsync();
        await Assertions.Expect(newRow).ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"Promoted {version} to production (was {earlier.Version}).");
        await Assertions.Expect(earlierRow).Not.ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(version);
        Assert.Equal(version, await registry.GetProductionVersionAsync());
        await Screenshots.SaveAsync(page, "train-done-promoted");

        await page.ClickAsync("#models-rollback");
        await Assertions.Expect(earlierRow).ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#models-message")).ToHaveTextAsync($"Rolled production back to {earlier.Version} (from {version}).");
        await Assertions.Expect(newRow).Not.ToContainTextAsync("production");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(earlier.Version);
        Assert.Equal(earlier.Version, await registry.GetProductionVersionAsync());
        await Assertions.Expect(page.Locator("#train-error")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#models-error")).ToBeHiddenAsync();

        // A version's evaluation from the registry: the new one has its confusion matrix, the earlier one (published by
        // hand, without an evaluation) says so.
        await newRow.Locator("button[data-details]").ClickAsync();
        await Assertions.Expect(page.Locator("#version-body table.confusion tbody tr")).ToHaveCountAsync(7);
        await Screenshots.SaveAsync(page, "registry-version-details");
        await earlierRow.Locator("button[data-details]").ClickAsync();
        await Assertions.Expect(page.Locator("#version-body")).ToHaveTextAsync($"{earlier.Version} has no evaluation (no test split was found when it was trained).");

        // Nothing to roll back to any more (the earlier version was the first production): the trainer's 409 ProblemDetails is shown.
        await page.ClickAsync("#models-rollback");
        await Assertions.Expect(page.Locator("#models-error")).ToContainTextAsync("Nothing to roll back to");
        Assert.Equal(earlier.Version, await registry.GetProductionVersionAsync());
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("403", StringComparison.Ordinal) && !e.Contains("409", StringComparison.Ordinal));

        // On a phone: a finished run chosen from the recent runs shows its curves and evaluation, and nothing scrolls sideways.
        await using var phoneContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(phone.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        await phone.Locator($"#runs-body tr[data-job='{id}']").ClickAsync();
        await Assertions.Expect(phone.Locator("#job-state")).ToHaveTextAsync("succeeded");
        await Assertions.Expect(phone.Locator("#loss-chart circle.point")).ToHaveCountAsync(4);
        await Assertions.Expect(phone.Locator("#job-evaluation table.confusion tbody tr")).ToHaveCountAsync(7);
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the page must not scroll sideways on a phone");
        await Screenshots.SaveAsync(phone, "train-registry-phone");
        output.WriteLine($"tiny run through the page: {ran.TotalSeconds:F1} s; whole test {timer.Elapsed.TotalSeconds:F1} s; "
            + $"{statuses.Count} status lines, e.g. '{statuses.Last(s => s.StartsWith("training · phase 2", StringComparison.Ordinal))}'");
    }

    [Fact]
    public async Task TheRunPanel_RefusesASecondRun_AndCancelsTheRunningOne_WithTheTrainersOwnWords()
    {
        await using var inference = await ImageStatisticsInference.StartAsync();
        await using var trainer = await trainers.StartAppAsync(TrainerFixture.NewPrefix());
        await using var gateway = await GatewayHost.StartAsync([inference.Address], trainer.Client.BaseAddress);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 }, ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(gateway.Address.ToString());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
        await page.FillAsync("#admin-key", GatewayHost.AdminKey);
        await page.FillAsync("#opt-epochs1", "50");
        await page.SelectOptionAsync("#opt-image-size", "64");
        await page.ClickAsync("#train-start");
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("running", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        var id = (await page.Locator("#job-id").TextContentAsync())!;
        await Assertions.Expect(page.Locator($"#runs-body tr[data-job='{id}']")).ToContainTextAsync("running");

        // One run at a time: the trainer's 409 is shown in its words, and the page keeps following the running run.
        await page.ClickAsync("#train-start");
        await Assertions.Expect(page.Locator("#train-error")).ToContainTextAsync("A training job is already running");
        await Assertions.Expect(page.Locator("#train-error")).ToContainTextAsync($"training job {id} is running");
        Assert.Equal(id, await page.Locator("#job-id").TextContentAsync());
        await Screenshots.SaveAsync(page, "train-conflict-dark");

        await page.ClickAsync("#train-cancel");
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("cancelled", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#job-status")).ToContainTextAsync("cancelled by request");
        await Assertions.Expect(page.Locator("#train-cancel")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#loss-chart")).ToHaveTextAsync(new Regex("No epoch finished before the run cancelled|phase"));
        await Assertions.Expect(page.Locator($"#runs-body tr[data-job='{id}']")).ToContainTextAsync("cancelled");
        Assert.Equal("cancelled", (await trainer.GetJobAsync(id)).GetProperty("state").GetString());
        await Screenshots.SaveAsync(page, "train-cancelled-dark");
    }

    private static string Fixed(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (value * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
