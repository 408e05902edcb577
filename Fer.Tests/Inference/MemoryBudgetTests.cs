using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Fer.Tests.Imaging;
using Xunit.Abstractions;

namespace Fer.Tests.Inference;

/// <summary>
/// The replica's memory budget, measured on a real replica in its own process (so that the test's own memory does not
/// count): resident memory through a burst of the worst requests the limits let in, and after it.
/// </summary>
public sealed class MemoryBudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long GiB = 1L << 30;
    private const int Side = 6300; // 39.7 megapixels: just under the 40 MP per-image guard
    private static readonly byte[] BombPng = TestImages.FlatPng(Side, Side);
    private InferenceProcess replica = null!;

    public async Task InitializeAsync()
    {
        replica = await InferenceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Inference:Models:File"] = InferenceTestModels.WriteToTempFile(seed: 3),
        });
    }

    public async Task DisposeAsync() => await replica.DisposeAsync();

    [Fact]
    public async Task HundredMultipartBombsAtOnce_StayUnderOneGiB_AndMemoryFallsBack()
    {
        var idle = await WarmIdleResidentAsync();

        // 100 requests at once, each 16 highly compressible 6300x6300 PNGs (the probe's memory bomb), from clients that
        // go away afterwards.
        HttpResponseMessage[] responses;
        using (var attacker = replica.CreateClient())
            responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => attacker.PostAsync("/predict", Multipart(BombPng, 16))));

        var peak = replica.PeakResidentBytes;
        output.WriteLine($"idle {idle / 1e6:F0} MB, peak {peak / 1e6:F0} MB, {BombPng.Length:N0} bytes per image");
        // Too many pixels for any budget: 413 from the headers alone; or, while other bodies hold the budget, 503.
        Assert.Contains(HttpStatusCode.RequestEntityTooLarge, responses.Select(r => r.StatusCode));
        foreach (var response in responses)
        {
            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("memory budget", detail, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Contains("Inference:MaxPixelsPerRequest", detail, StringComparison.Ordinal);
            }
        }
        Assert.True(peak < GiB, $"peak resident {peak / 1e6:F0} MB, over 1 GiB");
        await AssertFallsBackAsync(idle);
    }

    [Fact]
    public async Task LargestAcceptedImagesAtOnce_AreDecodedWithinTheBudget_OrToldToRetry()
    {
        var idle = await WarmIdleResidentAsync();

        // Each request is the largest single image the limits accept; the decoding budget takes one or two at a time.
        HttpResponseMessage[] responses;
        using (var clients = replica.CreateClient())
            responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => clients.PostAsync("/predict", Raw(BombPng))));

        var peak = replica.PeakResidentBytes;
        var statuses = responses.Select(r => r.StatusCode).ToList();
        output.WriteLine($"idle {idle / 1e6:F0} MB, peak {peak / 1e6:F0} MB; {statuses.Count(s => s == HttpStatusCode.OK)} answered, "
            + $"{statuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} told to retry");
        Assert.Contains(HttpStatusCode.OK, statuses);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("memory budget", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.True(peak < GiB, $"peak resident {peak / 1e6:F0} MB, over 1 GiB");
        await AssertFallsBackAsync(idle);
    }

    /// <summary>Resident memory once the replica has served ordinary requests (its pools and arenas exist).</summary>
    private async Task<long> WarmIdleResidentAsync()
    {
        var face = await File.ReadAllBytesAsync(InferenceTestModels.FerImages()[0]);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await replica.Client.PostAsync("/predict", Multipart(face, 4))).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2));
        output.WriteLine($"idle: {replica.MemoryReport}");
        return replica.ResidentBytes;
    }

    /// <summary>A minute after the burst (issue 15's measure), resident memory is within 10 % of the idle figure.</summary>
    private async Task AssertFallsBackAsync(long idle)
    {
        var minute = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var bound = idle * 1.1;
        var lowest = long.MaxValue;
        while (DateTime.UtcNow < minute)
        {
            lowest = Math.Min(lowest, replica.ResidentBytes);
            await Task.Delay(500);
        }
        var now = replica.ResidentBytes;
        output.WriteLine($"a minute after: {now / 1e6:F0} MB (lowest on the way {lowest / 1e6:F0} MB; {replica.MemoryReport})");
        foreach (var line in replica.Output.Split('\n').Where(l => l.Contains("handed back", StringComparison.Ordinal))) output.WriteLine(line);
        Assert.True(now <= bound, $"resident {now / 1e6:F0} MB a minute after the burst; idle was {idle / 1e6:F0} MB");
    }

    private static MultipartFormDataContent Multipart(byte[] image, int copies)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < copies; i++)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "images", $"image-{i}.png");
        }
        return form;
    }

    private static ByteArrayContent Raw(byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }
}
