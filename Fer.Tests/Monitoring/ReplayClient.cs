using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Contracts;

namespace Fer.Tests.Monitoring;

/// <summary>Sends replay faces to a replica's real /predict, several at a time, and scores its answers against the labels.</summary>
public static class ReplayClient
{
    public const int Concurrency = 8;

    /// <returns>How many of <paramref name="faces"/> the replica answered with their true emotion.</returns>
    public static async Task<int> SendAsync(HttpClient client, IReadOnlyList<ReplayFace> faces)
    {
        var correct = 0;
        await Parallel.ForEachAsync(faces, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (face, cancellationToken) =>
        {
            using var content = new ByteArrayContent(face.Png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var response = await client.PostAsync("/predict", content, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (answer.GetProperty("emotion").GetString() == EmotionLabels.Names[face.Label]) Interlocked.Increment(ref correct);
        });
        return correct;
    }

    /// <summary>The replica's drift view of <paramref name="version"/> (GET /drift).</summary>
    public static async Task<JsonElement> DriftOfAsync(HttpClient client, string version)
    {
        var versions = await client.GetFromJsonAsync<JsonElement>("/drift");
        foreach (var entry in versions.EnumerateArray())
            if (entry.GetProperty("version").GetString() == version) return entry;
        throw new Xunit.Sdk.XunitException($"/drift does not show {version}: {versions}");
    }
}
