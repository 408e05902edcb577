using System.Collections.Concurrent;
using Fer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fer.Tests.Gateway;

/// <summary>
/// A small real HTTP service on loopback standing in for an inference replica or the trainer in routing tests: it
/// records what reached it, can report itself unhealthy, and can drop connections to exercise the gateway's failover.
/// </summary>
internal sealed class StandInService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandInService(string name, WebApplication app) => (Name, _app) = (name, app);

    public string Name { get; }

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public bool Healthy { get; set; } = true;

    /// <summary>When it returns true for a request, the request is recorded and then its connection is dropped.</summary>
    public Func<HttpRequest, bool>? Abort { get; set; }

    public int Count(string method, string path) => Received.Count(r => r.Method == method && r.Path == path);

    public static async Task<StandInService> StartAsync(string name, Action<IEndpointRouteBuilder, StandInService>? map = null)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var service = new StandInService(name, app);
        app.Use(service.RecordAsync);
        app.MapGet("/health", () => service.Healthy ? Results.Ok("healthy") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        map?.Invoke(app, service);
        service.Address = await app.StartOnLoopbackAsync();
        return service;
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path != "/health")
        {
            Received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        }
        if (Abort?.Invoke(context.Request) == true)
        {
            context.Abort();
            return;
        }
        await next(context);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
