using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Tests.Infrastructure;
using Fer.Tests.Trainer.Apis;

namespace Fer.Tests.AppHost;

/// <summary>One whole system (redis-server, trainer, 2 inference replicas, gateway, the Aspire dashboard) under
/// Aspire's test host, shared by the system tests; a tiny model is trained and promoted once, when a test first needs it.</summary>
public sealed class AppHostSystemFixture : IAsyncLifetime
{
    /// <summary>A tiny training run takes well under a minute on an idle 2-core machine, but the whole system shares the cores.</summary>
    public static readonly TimeSpan TinyTrainingTimeout = TimeSpan.FromMinutes(8);

    private readonly string state = Directory.CreateTempSubdirectory("fer-apphost-system-").FullName;
    private readonly SemaphoreSlim training = new(1, 1);
    private readonly TinyFerData data = new();
    private JsonElement? trainedJob;

    public FerAppHost Host { get; private set; } = null!;

    /// <summary>Seconds from StartAsync until the trainer and the gateway were healthy and both replicas running.</summary>
    public double SecondsToUp { get; private set; }

    public async Task InitializeAsync()
    {
        var timer = System.Diagnostics.Stopwatch.StartNew();
        Host = await FerAppHost.StartAsync("redis-server", state);
        using var timeout = new CancellationTokenSource(FerAppHost.StartTimeout);
        foreach (var healthy in new[] { "redis-server", "trainer", "gateway" })
            await Host.WithLogsOnFailureAsync(healthy, () => Host.App.ResourceNotifications.WaitForResourceHealthyAsync(healthy, timeout.Token));
        foreach (var replica in new[] { "inference-0", "inference-1" })
            await Host.WithLogsOnFailureAsync(replica,
                () => Host.App.ResourceNotifications.WaitForResourceAsync(replica, Aspire.Hosting.ApplicationModel.KnownResourceStates.Running, timeout.Token));
        SecondsToUp = timer.Elapsed.TotalSeconds;
    }

    /// <summary>Trains a tiny model through the gateway (promote: always) once; returns the finished job.</summary>
    public async Task<JsonElement> TrainedJobAsync()
    {
        await training.WaitAsync();
        try
        {
            return trainedJob ??= await TrainThroughTheGatewayAsync();
        }
        finally
        {
            training.Release();
        }
    }

    private async Task<JsonElement> TrainThroughTheGatewayAsync()
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/train")
        {
            Content = JsonContent.Create(new { data = data.Root, imageSize = 64, epochs1 = 1, epochs2 = 1, batchSize = 32, seed = 7, promote = "always" }),
        };
        start.Headers.Add("X-Api-Key", Host.AdminKey);
        var started = await Host.Gateway.SendAsync(start);
        var created = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"POST /train: {(int)started.StatusCode} {created}");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;
        return await Poll.UntilAsync(() => Host.Gateway.GetFromJsonAsync<JsonElement>($"/train/{id}"),
            job => job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled", TinyTrainingTimeout, $"training job {id} to end");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        data.Dispose();
        Directory.Delete(state, recursive: true);
    }
}
