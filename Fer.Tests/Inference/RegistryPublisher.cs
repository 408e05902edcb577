using Fer.Registry;
using Fer.Registry.Extensions;
using Fer.Registry.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.Tests.Inference;

/// <summary>The trainer's side of the registry, on its own connection: publishes and promotes versions.</summary>
public sealed class RegistryPublisher : IDisposable
{
    private readonly IHost host;

    public RegistryPublisher(string redis, string keyPrefix)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Registry:KeyPrefix"] = keyPrefix,
        });
        builder.AddModelRegistry();
        host = builder.Build();
        Registry = host.Services.GetRequiredService<ModelRegistry>();
        Rollouts = host.Services.GetRequiredService<Fer.Registry.Rollouts.RolloutRegistry>();
        Redis = host.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
    }

    public ModelRegistry Registry { get; }

    public Fer.Registry.Rollouts.RolloutRegistry Rollouts { get; }

    public StackExchange.Redis.IConnectionMultiplexer Redis { get; }

    public async Task<string> PublishAsync(byte[] onnx) =>
        (await Registry.PublishAsync(new ModelPublishRequest { Onnx = onnx, ImageSize = 48 })).Version;

    public async Task<string> PublishAndPromoteAsync(byte[] onnx)
    {
        var version = await PublishAsync(onnx);
        await Registry.PromoteAsync(version, "test");
        return version;
    }

    public void Dispose() => host.Dispose();
}
