using System.Net;
using System.Net.Http.Headers;
using Fer.Benchmarks;
using Fer.Tests.Infrastructure;

namespace Fer.Tests.Benchmarks;

/// <summary>The benchmark's replica in a process of its own: the real Fer.Inference build, configured through its
/// environment, serving until disposed; one that cannot start says why.</summary>
public class ReplicaProcessTests
{
    [Fact]
    public async Task TheReplica_ServesTheConfiguredModel_UntilDisposed()
    {
        var replica = await ReplicaProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Inference:Models:File"] = Path.Combine(RepositoryPaths.Root, "Fer.Trainer", "BundledModel", "model.onnx"),
        }, TimeSpan.FromMinutes(2));
        using var client = new HttpClient { BaseAddress = new Uri($"http://{replica.Address}") };
        try
        {
            using var body = new ByteArrayContent(await File.ReadAllBytesAsync(RepositoryPaths.FirstTestImage("happy")));
            body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var answer = await client.PostAsync("/predict", body);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"emotion\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await replica.DisposeAsync();
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/v2/health/ready"));
    }

    [Fact]
    public async Task AReplicaThatCannotStart_SaysWhy()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReplicaProcess.StartAsync(
            new Dictionary<string, string?> { ["Inference:Models:File"] = missing }, TimeSpan.FromMinutes(2)));

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
