using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Feedback;
using Fer.Registry.Feedback;
using Fer.Tests.Inference;
using Fer.Tests.Infrastructure;
using SkiaSharp;

namespace Fer.Tests.Feedback;

/// <summary>POST /feedback across two real replicas (two inference services on loopback, one real redis-server, real
/// models): a label may reach either replica, and only the one that answered holds the face; it is passed on over
/// Redis pub/sub. Only a labelled face reaches the store.</summary>
public sealed class FeedbackReplicasTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string prefix = "feedback-" + Guid.NewGuid().ToString("N")[..8];
    private RegistryPublisher publisher = null!;
    private string production = null!;

    public async Task InitializeAsync()
    {
        publisher = new RegistryPublisher(redis.ConnectionString, prefix);
        production = await publisher.PublishAndPromoteAsync(InferenceTestModels.Onnx(31));
    }

    public Task DisposeAsync()
    {
        publisher.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ALabelGivenToTheOtherReplica_IsStoredWithTheAnsweringReplicasCropVersionAndProbabilities()
    {
        await using var answering = await StartReplicaAsync();
        await using var other = await StartReplicaAsync();
        Assert.NotEqual(answering.Get<FeedbackWindow>().Replica, other.Get<FeedbackWindow>().Replica);
        var image = InferenceTestModels.FerImages()[3];
        var face = (await PredictAsync(answering, image)).Faces.Single();
        Assert.NotNull(face.Id);
        Assert.Equal(0, await StoredCountAsync()); // answering keeps nothing

        var response = await other.Client.PostAsJsonAsync("/feedback", new { id = face.Id, emotion = "Sad" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<FeedbackReceipt>())!;
        Assert.Equal(new FeedbackReceipt(face.Id, "sad", face.Emotion, production, 1), receipt);

        var entry = (await Store().SnapshotAsync()).Entries.Single();
        Assert.Equal((face.Id, "sad", face.Emotion, production), (entry.Id, entry.Emotion, entry.AnsweredEmotion, entry.ModelVersion));
        Assert.Equal(face.Probabilities.OrderBy(p => p.Key), entry.Probabilities.OrderBy(p => p.Key));
        using var crop = SKBitmap.Decode(entry.CropPng);
        Assert.Equal((48, 48), (crop.Width, crop.Height));
        Assert.InRange(MeanAbsoluteDifference(crop, image), 0, 2.0);

        // A correction replaces the label of the same face; the set's hash follows its content.
        var before = (await Store().SummaryAsync()).Hash;
        Assert.Equal(HttpStatusCode.OK, (await answering.Client.PostAsJsonAsync("/feedback", new { id = face.Id, emotion = "happy" })).StatusCode);
        var summary = await Store().SummaryAsync();
        Assert.Equal(1, summary.Count);
        Assert.Equal(new Dictionary<string, int> { ["happy"] = 1 }, summary.PerEmotion);
        Assert.NotEqual(before, summary.Hash);
        Assert.Equal(summary.Hash, (await Store().SnapshotAsync()).Hash);
    }

    [Fact]
    public async Task UnknownIdsAre404_BadEmotionsAre400_AndNothingIsStored()
    {
        await using var replica = await StartReplicaAsync();
        var face = (await PredictAsync(replica, InferenceTestModels.FerImages()[0])).Faces.Single();

        await AssertProblemAsync(replica, new { id = face.Id, emotion = "bored" }, HttpStatusCode.BadRequest, "Unknown emotion");
        await AssertProblemAsync(replica, new { id = "", emotion = "sad" }, HttpStatusCode.BadRequest, "No prediction id");
        await AssertProblemAsync(replica, new { id = "not-an-id", emotion = "sad" }, HttpStatusCode.NotFound, "Unknown prediction");
        var otherFace = replica.Get<FeedbackWindow>().Replica + "-0000000000000000";
        await AssertProblemAsync(replica, new { id = otherFace, emotion = "sad" }, HttpStatusCode.NotFound, "Unknown prediction");
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task ALabelForAFaceWhoseReplicaIsGone_Is404AtOnce()
    {
        var answering = await StartReplicaAsync();
        await using var other = await StartReplicaAsync();
        var face = (await PredictAsync(answering, InferenceTestModels.FerImages()[1])).Faces.Single();
        await answering.DisposeAsync();

        var started = DateTime.UtcNow;
        await AssertProblemAsync(other, new { id = face.Id, emotion = "fear" }, HttpStatusCode.NotFound, "Unknown prediction");
        Assert.True(DateTime.UtcNow - started < FeedbackRelay.ReplyTimeout, "nobody listens: no wait for a reply");
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task AFaceOlderThanTheWindow_IsForgotten()
    {
        await using var replica = await StartReplicaAsync(new Dictionary<string, string?> { ["Inference:Feedback:Window"] = "00:00:01" });
        var face = (await PredictAsync(replica, InferenceTestModels.FerImages()[2])).Faces.Single();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await AssertProblemAsync(replica, new { id = face.Id, emotion = "fear" }, HttpStatusCode.NotFound, "Unknown prediction");
        Assert.Equal(0, replica.Get<FeedbackWindow>().Count);
    }

    private FeedbackStore Store() =>
        new(publisher.Registry, publisher.Redis, Microsoft.Extensions.Options.Options.Create(new FeedbackOptions()), TimeProvider.System);

    private async Task<long> StoredCountAsync() => (await Store().SummaryAsync()).Count;

    private async Task<InferenceHost> StartReplicaAsync(IDictionary<string, string?>? settings = null)
    {
        var replica = await InferenceHost.StartWithRegistryAsync(redis.ConnectionString, prefix, settings);
        await replica.WaitForVersionAsync(production);
        await replica.Get<FeedbackRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(20));
        return replica;
    }

    private static async Task<PredictionResponse> PredictAsync(InferenceHost replica, string image)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(image));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await replica.Client.PostAsync("/predict?faces=whole", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictionResponse>())!;
    }

    private static async Task AssertProblemAsync(InferenceHost replica, object body, HttpStatusCode status, string title)
    {
        var response = await replica.Client.PostAsJsonAsync("/feedback", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
    }

    private static double MeanAbsoluteDifference(SKBitmap crop, string image)
    {
        using var original = SKBitmap.Decode(image);
        double sum = 0;
        for (var y = 0; y < 48; y++)
        for (var x = 0; x < 48; x++)
            sum += Math.Abs(crop.GetPixel(x, y).Red - original.GetPixel(x, y).Red);
        return sum / (48 * 48);
    }
}
