using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Registry.Feedback;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.Feedback;

/// <summary>The trainer's view of the feedback set over a real Redis: its count, hash and accuracy per version for
/// anyone, its download for an admin only, in the image-folder layout training reads.</summary>
[Collection(TrainerCollection.Name)]
public sealed class FeedbackApiTests(TrainerFixture fixture)
{
    [Fact]
    public async Task TheSummaryCountsTheLabels_AndTheExportHoldsThemUnderTheSameHash_ForAnAdminOnly()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var store = trainer.Service<FeedbackStore>();
        byte[] png = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3];
        await store.AddAsync(new FeedbackEntry("aa-1", "sad", "happy", "v0001-x", new Dictionary<string, float> { ["happy"] = 0.9f }, png, DateTimeOffset.UtcNow));
        await store.AddAsync(new FeedbackEntry("aa-2", "happy", "happy", "v0001-x", new Dictionary<string, float> { ["happy"] = 0.8f }, png, DateTimeOffset.UtcNow));

        using var anonymous = trainer.AnonymousClient();
        var summary = await anonymous.GetFromJsonAsync<JsonElement>("/feedback");
        Assert.Equal(2, summary.GetProperty("count").GetInt32());
        Assert.Equal(1, summary.GetProperty("perEmotion").GetProperty("sad").GetInt32());
        var hash = summary.GetProperty("hash").GetString();
        Assert.Equal((await store.SnapshotAsync()).Hash, hash);
        var accuracy = Assert.Single((await anonymous.GetFromJsonAsync<JsonElement>("/feedback/accuracy")).GetProperty("versions").EnumerateArray());
        Assert.Equal(("v0001-x", 2, 1, 0.5), (accuracy.GetProperty("name").GetString(), accuracy.GetProperty("labels").GetInt32(),
            accuracy.GetProperty("agreed").GetInt32(), accuracy.GetProperty("accuracy").GetDouble()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/feedback/export")).StatusCode);
        var export = await trainer.Client.GetAsync("/feedback/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(hash, export.Headers.GetValues(Fer.Trainer.Apis.FeedbackApi.HashHeader).Single());
        using var zip = new ZipArchive(await export.Content.ReadAsStreamAsync());
        Assert.Equal(["feedback.json", "happy/aa-2.png", "sad/aa-1.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var manifest = JsonDocument.Parse(zip.GetEntry("feedback.json")!.Open());
        Assert.Equal(hash, manifest.RootElement.GetProperty("hash").GetString());
        Assert.Equal("happy", manifest.RootElement.GetProperty("entries")[0].GetProperty("answeredEmotion").GetString());
    }

    [Fact]
    public async Task AJobWithIncludeFeedback_TrainsOnTheStoresSnapshot_AndItsDataManifestNamesTheHash()
    {
        await using var trainer = await fixture.StartAppAsync(TrainerFixture.NewPrefix());
        var store = trainer.Service<FeedbackStore>();
        var random = new Random(3);
        for (var i = 0; i < 10; i++)
        {
            var pixels = Enumerable.Range(0, Fer.Imaging.FaceImage.PixelCount).Select(_ => (float)random.NextDouble()).ToArray();
            await store.AddAsync(new FeedbackEntry($"bb-{i}", i % 2 == 0 ? "sad" : "happy", "neutral", "v0001-x",
                new Dictionary<string, float> { ["neutral"] = 0.5f }, new Fer.Imaging.FaceImage(pixels, 48, 48).ToPng(), DateTimeOffset.UtcNow));
        }
        var hash = (await store.SummaryAsync()).Hash;

        var refused = await trainer.Client.PostAsJsonAsync("/train", new { feedback = "/tmp/anything" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("includeFeedback", await refused.Content.ReadAsStringAsync());

        var id = await trainer.StartJobAsync(new { imageSize = 64, epochs1 = 1, epochs2 = 0, batchSize = 32, seed = 7, promote = "never", includeFeedback = true });
        var job = await trainer.WaitUntilFinishedAsync(id);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        var runs = trainer.Service<Fer.Trainer.Jobs.TrainerPaths>().RunsDirectory;
        var manifestPath = Assert.Single(Directory.GetFiles(runs, Fer.Training.Runs.RunFiles.DataManifest, SearchOption.AllDirectories));
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
        var feedback = manifest.RootElement.GetProperty("feedback");
        Assert.Equal(hash, feedback.GetProperty("hash").GetString());
        Assert.Equal((8, 2), (feedback.GetProperty("train").GetInt32(), feedback.GetProperty("heldOut").GetInt32()));
        Assert.Equal(JsonValueKind.Number, feedback.GetProperty("heldOutAccuracy").ValueKind);
    }
}
