using Fer.Inference.Extensions;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.Inference;

/// <summary>The inference service composed exactly as its Program.cs does, on a real loopback port.</summary>
public sealed class InferenceHost : IAsyncDisposable
{
    private InferenceHost(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Serves one ONNX file.</summary>
    public static Task<InferenceHost> StartWithFileAsync(string modelPath, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null) =>
        StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Inference:Models:File"] = modelPath,
        }, logs);

    /// <summary>Serves the production model of the registry at <paramref name="redis"/>.</summary>
    public static Task<InferenceHost> StartWithRegistryAsync(string redis, string keyPrefix, IDictionary<string, string?>? settings = null) =>
        StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:redis"] = redis,
            ["Registry:KeyPrefix"] = keyPrefix,
        });

    public static async Task<InferenceHost> StartAsync(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = LoopbackApp.CreateBuilder(settings);
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        builder.AddInferenceServices();
        var app = builder.Build();
        app.UseProblemDetailsErrors();
        app.MapDefaultEndpoints();
        app.MapInferenceApi();
        var client = new HttpClient { BaseAddress = await app.StartOnLoopbackAsync(), Timeout = TimeSpan.FromSeconds(60) };
        return new InferenceHost(app, client);
    }

    /// <summary>Waits until /health reports a model serving <paramref name="version"/> (or any model when null).</summary>
    public async Task WaitForVersionAsync(string? version, TimeSpan? timeout = null)
    {
        var holder = Get<Fer.Inference.Models.ModelHolder>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (holder.Current is { } model && (version is null || model.Version == version)) return;
            await Task.Delay(20);
        }
        var reloader = Get<Fer.Inference.Models.ModelReloader>();
        throw new TimeoutException($"model {version ?? "(any)"} did not come into service; serving {holder.Current?.Version ?? "nothing"}; {reloader.Status}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
