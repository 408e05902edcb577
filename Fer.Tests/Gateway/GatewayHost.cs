using System.Diagnostics;
using Fer.Gateway.Apis;
using Fer.Gateway.Extensions;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Fer.Tests.Gateway;

/// <summary>The gateway exactly as its Program.cs composes it, on a real loopback port, with test configuration.</summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly List<Activity> _spans;

    private GatewayHost(WebApplication app, Uri address, List<Activity> spans) => (App, Address, _spans) = (app, address, spans);

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <param name="inference">Inference replicas (services:inference:http:N).</param>
    /// <param name="trainer">The trainer (services:trainer:http:0), or null for none.</param>
    /// <param name="settings">More configuration; a null value removes a default (e.g. FER_ADMIN_KEY).</param>
    public static async Task<GatewayHost> StartAsync(
        IEnumerable<Uri> inference, Uri? trainer, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["FER_ADMIN_KEY"] = AdminKey,
            ["Gateway:Proxy:HealthCheckInterval"] = "00:00:01",
        };
        var i = 0;
        foreach (var replica in inference) all[$"services:inference:http:{i++}"] = replica.ToString();
        if (trainer != null) all["services:trainer:http:0"] = trainer.ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var builder = LoopbackApp.CreateBuilder(all);
        if (logs != null) builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        builder.AddGatewayServices();
        var spans = new List<Activity>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));

        var app = builder.Build();
        app.UseGatewayPipeline();
        app.MapDefaultEndpoints();
        app.MapServiceInfoApi();
        app.MapGatewayProxy();
        return new GatewayHost(app, await app.StartOnLoopbackAsync(), spans);
    }

    /// <summary>Everything the gateway's tracer exported so far.</summary>
    public IReadOnlyList<Activity> ExportedSpans()
    {
        App.Services.GetRequiredService<TracerProvider>().ForceFlush();
        lock (_spans) return _spans.ToList();
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
