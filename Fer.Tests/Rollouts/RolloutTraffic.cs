using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fer.Inference.Contracts;
using Fer.Inference.Rollouts;
using Fer.Registry.Rollouts;
using Fer.Tests.Inference;

namespace Fer.Tests.Rollouts;

/// <summary>Client traffic for the rollout tests: one real FER2013 face per request, each request with an id of its own
/// (which decides the version it meets), every answer kept with its id.</summary>
public sealed class RolloutTraffic
{
    private readonly byte[] image = File.ReadAllBytes(InferenceTestModels.FerImages()[4]);
    private int sent;

    public List<Answer> Answers { get; } = [];

    /// <summary>One request to <paramref name="replica"/>, with <paramref name="id"/> or a new id.</summary>
    public async Task<Answer> SendAsync(InferenceHost replica, string? id = null)
    {
        id ??= $"client-{Interlocked.Increment(ref sent)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict");
        request.Headers.Add("X-Request-Id", id);
        request.Content = new ByteArrayContent(image);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await replica.Client.SendAsync(request);
        var version = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<PredictionResponse>())!.ModelVersion : null;
        var answer = new Answer(id, response.StatusCode, version, response.Content.Headers.ContentType?.MediaType, DateTimeOffset.UtcNow);
        lock (Answers) Answers.Add(answer);
        return answer;
    }

    /// <summary>Sends requests to <paramref name="replica"/> until the rollout <paramref name="rolloutId"/> has ended,
    /// then returns the decision that ended it.</summary>
    public async Task<RolloutDecision> UntilEndedAsync(RolloutRegistry rollouts, string rolloutId, InferenceHost replica, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 10; i++) await SendAsync(replica);
            if ((await rollouts.GetAsync())?.Id != rolloutId) return await EndOfAsync(rollouts, rolloutId);
        }
        var decisions = await rollouts.GetDecisionsAsync();
        throw new TimeoutException($"rollout {rolloutId} did not end in {limit.TotalSeconds} s; decisions: {string.Join("; ", decisions.Select(d => $"{d.Kind}: {d.Reason}"))}");
    }

    /// <summary>The decision that ended <paramref name="rolloutId"/>.</summary>
    public static async Task<RolloutDecision> EndOfAsync(RolloutRegistry rollouts, string rolloutId) =>
        (await rollouts.GetDecisionsAsync()).First(d => d.RolloutId == rolloutId
            && d.Kind is RolloutDecisionKind.Promoted or RolloutDecisionKind.RolledBack or RolloutDecisionKind.Aborted);

    /// <summary>Whether a request with <paramref name="id"/> falls inside the rollout's share.</summary>
    public static bool InShare(Rollout rollout, string id, double share) => RequestSampling.Position(rollout.Id, id) < share;

    public sealed record Answer(string Id, HttpStatusCode Status, string? Version, string? ContentType, DateTimeOffset At);
}
