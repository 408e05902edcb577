using System.Text.Json;
using Fer.Tests.AppHost;

namespace Fer.Tests.Kubernetes;

/// <summary>The Aspire manifest of the AppHost as built, published once for the tests that hold the deployment to it.</summary>
public sealed class PublishedAppHost : IAsyncLifetime
{
    public JsonElement Resources { get; private set; }

    public async Task InitializeAsync() => Resources = await AspireManifest.PublishAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
