using System.Diagnostics;
using System.Net;
using Fer.Inference.Extensions;
using Fer.Inference.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fer.Benchmarks;

/// <summary>The real inference service in this process, on a free loopback port, configured by <c>settings</c>
/// (a model file or a registry), returned once it serves a model.</summary>
public static class InProcessReplica
{
    public static async Task<(WebApplication App, IPEndPoint Address)> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddInferenceServices();
        builder.Services.AddSingleton<IHostLifetime, ProcessLifetime>();
        var app = builder.Build();
        app.UseProblemDetailsErrors();
        app.MapDefaultEndpoints();
        app.MapInferenceApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var holder = app.Services.GetRequiredService<ModelHolder>();
        var deadline = Stopwatch.StartNew();
        while (holder.Current is null)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the service did not load the model in 5 minutes");
            await Task.Delay(50);
        }
        var uri = new Uri(address);
        return (app, new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
    }
}
