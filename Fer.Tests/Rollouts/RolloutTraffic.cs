using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;
using Fer.Trainer.Rollouts;
using Xunit.Abstractions;

namespace Fer.Tests.Rollouts;

/// <summary>Client traffic for the rollout tests: one real FER2013 face per request, each request with an id of its own
/// (which decides the version it meets), every answer kept with its id. The ids start with <paramref name="idPrefix"/>,
/// so that a test can tell its requests from those of tests running beside it.</summary>
public sealed class RolloutTraffic(string idPrefix = "client")
{
    private readonly byte[] image = File.ReadAllBytes(InferenceTestModels.FerImages()[4]);
    private int sent;

    public List<Answer> Answers { get; } = [];

    /// <summary>One request to <paramref name="replica"/>, with <paramref name="id"/> or a new id.</summary>
    public Task<Answer> SendAsync(InferenceHost replica, string? id = null) => SendAsync(replica.Client, id);

    /// <summary>One request to the /predict behind <paramref name="client"/> (a replica or the gateway), with
    /// <paramref name="id"/> or a new id.</summary>
    public async Task<Answer> SendAsync(HttpClient client, string? id = null)
    {
        id ??= $"{idPrefix}-{Interlocked.Increment(ref sent)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict");
        request.Headers.Add("X-Request-Id", id);
        request.Content = new ByteArrayContent(image);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await client.SendAsync(request);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var version = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<PredictionResponse>())!.ModelVersion : null;
        var problemVersion = mediaType == "application/problem+json"
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("modelVersion", out var named) ? named.GetString() : null;
        var answer = new Answer(id, response.StatusCode, version, mediaType, DateTimeOffset.UtcNow, problemVersion);
        lock (Answers) Answers.Add(answer);
        return answer;
    }

    /// <summary>Sends requests to <paramref name="replica"/> until the rollout <paramref name="rolloutId"/> has ended,
    /// then returns the decision that ended it.</summary>
    public Task<RolloutDecision> UntilEndedAsync(RolloutRegistry rollouts, string rolloutId, InferenceHost replica, TimeSpan limit) =>
        UntilEndedAsync(rollouts, rolloutId, replica.Client, limit);

    /// <summary>Sends requests through <paramref name="client"/> until the rollout <paramref name="rolloutId"/> has
    /// ended, then returns the decision that ended it.</summary>
    public async Task<RolloutDecision> UntilEndedAsync(RolloutRegistry rollouts, string rolloutId, HttpClient client, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 10; i++) await SendAsync(client);
            if ((await rollouts.GetAsync())?.Id != rolloutId) return await EndOfAsync(rollouts, rolloutId);
        }
        var decisions = await rollouts.GetDecisionsAsync();
        throw new TimeoutException($"rollout {rolloutId} did not end in {limit.TotalSeconds} s; decisions: {string.Join("; ", decisions.Select(d => $"{d.Kind}: {d.Reason}"))}");
    }

    /// <summary>The decision that ended <paramref name="rolloutId"/>.</summary>
    public static async Task<RolloutDecision> EndOfAsync(RolloutRegistry rollouts, string rolloutId) =>
        (await rollouts.GetDecisionsAsync()).First(d => d.RolloutId == rolloutId
            && d.Kind is RolloutDecisionKind.Promoted or RolloutDecisionKind.RolledBack or RolloutDecisionKind.Aborted);

    /// <summary>The gates' promise: a rollback within this long of the evidence that fails a gate being available.</summary>
    public static readonly TimeSpan Promise = TimeSpan.FromSeconds(60);

    /// <summary>Asserts that <paramref name="ended"/> came within <see cref="Promise"/> of <paramref name="evidenceAvailable"/>.</summary>
    public static void AssertWithinPromise(DateTimeOffset evidenceAvailable, RolloutDecision ended, ITestOutputHelper output)
    {
        var took = ended.At - evidenceAvailable;
        output.WriteLine($"rolled back {took.TotalSeconds:0.0} s after the evidence was available: {ended.Reason}");
        Assert.InRange(took, TimeSpan.FromSeconds(-1), Promise);
    }

    /// <summary>The failed requests of a canary whose every run fails: at least the gate's samples, each a 500
    /// ProblemDetails naming <paramref name="failing"/> for an id inside the share; every id outside it answered by
    /// <paramref name="production"/>.</summary>
    public List<Answer> AssertFailuresOnlyInsideShare(Rollout rollout, double share, string failing, string production)
    {
        var failed = Answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.InRange(failed.Count, RolloutGatekeeper.MinGateSamples, Answers.Count);
        Assert.All(failed, a => Assert.Equal((HttpStatusCode.InternalServerError, "application/problem+json", failing, true),
            (a.Status, a.ContentType, a.ProblemVersion, InShare(rollout, a.Id, share))));
        Assert.All(Answers.Where(a => !InShare(rollout, a.Id, share)), a => Assert.Equal((HttpStatusCode.OK, production), (a.Status, a.Version)));
        return failed;
    }

    /// <summary>Whether a request with <paramref name="id"/> falls inside the rollout's share.</summary>
    public static bool InShare(Rollout rollout, string id, double share) => RequestSampling.Position(rollout.Id, id) < share;

    /// <param name="Version">The version that answered (a success).</param>
    /// <param name="ProblemVersion">The version a ProblemDetails names as the one that failed (<c>modelVersion</c>).</param>
    public sealed record Answer(string Id, HttpStatusCode Status, string? Version, string? ContentType, DateTimeOffset At, string? ProblemVersion);
}
