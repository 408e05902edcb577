using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.AppHost.Training;

public static class TrainingProgressExtensions
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A "training" resource under the trainer whose state follows the newest job (read from the trainer's
    /// <c>GET /train?count=1</c> every two seconds while the trainer is healthy).</summary>
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
        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var last = "";
        try
        {
            await notifications.WaitForResourceHealthyAsync(trainer, stopping);
            http.BaseAddress = new Uri(endpoint.Url);
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var list = await http.GetFromJsonAsync<JsonElement>("/train?count=1", stopping);
                    var (text, running) = TrainingProgress.Describe(list.GetProperty("jobs").EnumerateArray().FirstOrDefault());
                    if (text != last)
                    {
                        last = text;
                        await notifications.PublishUpdateAsync(training, s => s with
                        {
                            State = new ResourceStateSnapshot(text, running ? KnownResourceStateStyles.Info : null),
                        });
                    }
                }
                catch (HttpRequestException)
                {
                    // The trainer is restarting or down: its own resource says so; try again.
                }
                await Task.Delay(Interval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }
}
