using System.Net.ServerSentEvents;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Fer.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.AppHost.Training;

public static class TrainingProgressExtensions
{
    /// <summary>How long to wait before following the trainer again after its stream broke (a restart, a crash).</summary>
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    /// <summary>A "training" resource under the trainer whose state follows the trainer's jobs as they run: the
    /// trainer's <c>GET /train/events</c> stream, one connection for as long as the trainer runs (no polling).</summary>
    public static IResourceBuilder<ProjectResource> WithTrainingProgress(this IResourceBuilder<ProjectResource> trainer, IDistributedApplicationBuilder builder)
    {
        var training = builder.AddResource(new TrainingJobResource("training"))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "TrainingJob", State = TrainingProgress.Idle, Properties = [] })
            .WithParentRelationship(trainer)
            .ExcludeFromManifest();
        var endpoint = trainer.GetEndpoint("http");
        builder.Eventing.Subscribe<BeforeStartEvent>((started, cancellationToken) =>
        {
            var services = started.Services;
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            Task.Run(() => FollowAsync(services, trainer.Resource.Name, endpoint, training.Resource, stopping), stopping);
            return Task.CompletedTask;
        });
        return trainer;
    }

    private static async Task FollowAsync(IServiceProvider services, string trainer, EndpointReference endpoint,
        TrainingJobResource training, CancellationToken stopping)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var last = "";
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await notifications.WaitForResourceHealthyAsync(trainer, stopping);
                try
                {
                    await foreach (var job in JobsAsync(endpoint, stopping))
                    {
                        var (text, running) = TrainingProgress.Describe(job);
                        if (text == last) continue;
                        last = text;
                        await notifications.PublishUpdateAsync(training, s => s with
                        {
                            State = new ResourceStateSnapshot(text, running ? KnownResourceStateStyles.Info : null),
                        });
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
                {
                    // The trainer is restarting or down: its own resource says so; follow it again once it is back.
                }
                await Task.Delay(Reconnect, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    /// <summary>Every job snapshot the trainer sends, until the stream ends.</summary>
    private static async IAsyncEnumerable<JsonElement> JobsAsync(EndpointReference endpoint,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken stopping)
    {
        // A client of its own, without a timeout: the stream stays open for as long as the trainer runs.
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/train/events");
        request.Headers.Add(TracePlumbing.RequestHeader, "training-progress");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(stopping);
        var parser = SseParser.Create(stream, (_, data) => JsonDocument.Parse(data.ToArray()).RootElement.Clone());
        await foreach (var item in parser.EnumerateAsync(stopping))
            yield return item.Data;
    }
}
